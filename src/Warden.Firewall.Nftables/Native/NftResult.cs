namespace Warden.Firewall.Nftables.Native;

/// <summary>What one <c>nft_run_cmd_from_buffer</c> call returned.</summary>
internal readonly record struct NftResult(int ReturnCode, string Output, string Error)
{
    public bool Succeeded => ReturnCode == 0;
}
