/**
 * USDC on Base: the token contracts we accept payment in (Circle's native USDC, 6 decimals). A transfer of any other
 * token, or on another network, is recorded and never credited.
 */
export const usdcNetworks = {
  "base-mainnet": { usdcContract: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", label: "Base" },
  "base-sepolia": { usdcContract: "0x036CbD53842c5426634e7929541eC2318f3dCF7e", label: "Base Sepolia (testnet)" },
} as const;

export type UsdcNetwork = keyof typeof usdcNetworks;

export function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
