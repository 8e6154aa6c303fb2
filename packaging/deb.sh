#!/usr/bin/env bash
# Builds .build/warden_VERSION_ARCH.deb from the Native AOT binary (built by ./warden when the
# sources changed) with dpkg-deb. No debhelper: the package is this script and the files beside it.
# WARDEN_PORTABLE=1 builds a binary for any x86-64, for a package to install on other machines.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
for tool in dpkg-deb dpkg gzip; do
  command -v "$tool" >/dev/null || { echo "deb.sh: $tool is needed (apt-get install dpkg-dev)" >&2; exit 1; }
done

# "warden 0.1.0+abc1234 (...)": the version the binary reports is the package's.
version="$("$root/warden" version | awk 'NR == 1 { print $2 }')"
# The commit after '+' shortened to 12 digits, as git describe would.
if [[ $version == *+* ]]; then
  commit="${version#*+}"
  version="${version%%+*}+git${commit:0:12}"
fi
[[ $version =~ ^[0-9][A-Za-z0-9.+~]*$ ]] || { echo "deb.sh: unusable version '$version' from warden version" >&2; exit 1; }
arch="$(dpkg --print-architecture)"
out="$root/.build/warden_${version}_${arch}.deb"
stage="$root/.build/deb"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN"

put() { # put MODE SOURCE DEST
  install -D -m "$1" "$2" "$stage/$3"
}
put 0755 "$root/.build/warden" usr/sbin/warden
put 0644 "$here/warden.service" lib/systemd/system/warden.service
put 0644 "$here/warden.conf" etc/warden/warden.conf
put 0644 "$here/jail.local" etc/warden/jail.local
put 0644 "$here/warden.bash-completion" usr/share/bash-completion/completions/warden
put 0644 "$here/debian/copyright" usr/share/doc/warden/copyright
put 0644 "$here/sendmail.conf" usr/share/doc/warden/examples/sendmail.conf
put 0644 "$here/debian/lintian-overrides" usr/share/lintian/overrides/warden
mkdir -p "$stage/usr/share/man/man8"
sed "s/@VERSION@/$version/" "$here/warden.8" | gzip -9n > "$stage/usr/share/man/man8/warden.8.gz"
{
  echo "warden ($version) unstable; urgency=medium"
  echo
  echo "  * Built from the Warden repository at $version."
  echo
  echo " -- Warden developers <warden@example.invalid>  $(date -R -u -d "@$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)")"
} | gzip -9n > "$stage/usr/share/doc/warden/changelog.gz"
chmod 0644 "$stage/usr/share/man/man8/warden.8.gz" "$stage/usr/share/doc/warden/changelog.gz"

for script in postinst prerm postrm; do
  install -m 0755 "$here/debian/$script" "$stage/DEBIAN/$script"
done
printf '/etc/warden/warden.conf\n/etc/warden/jail.local\n' > "$stage/DEBIAN/conffiles"
chmod 0644 "$stage/DEBIAN/conffiles"

size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: warden
Version: $version
Architecture: $arch
Maintainer: Warden developers <warden@example.invalid>
Installed-Size: $size
Depends: libc6 (>= 2.34), libnftables1, libsqlite3-0, libpcre2-8-0
Suggests: nftables
Section: net
Priority: optional
Description: intrusion prevention: bans attackers found in logs in nftables
 Warden reads logs and the systemd journal, finds attackers with fail2ban's
 filter language (fail2ban's filter.d works unchanged) and bans them in an
 nftables set with kernel timeouts, so a ban ends on time even while Warden
 is stopped. One native binary, run as a hardened systemd service.
CONTROL
chmod 0644 "$stage/DEBIAN/control"

dpkg-deb --build --root-owner-group -Zxz "$stage" "$out" >/dev/null
echo "$out"
