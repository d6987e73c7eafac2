import type { Signer } from "ethers";
import type { Address } from "../core/types";
import { toHuzhuError } from "../internal/contract";
import type { CompilerSettings, DeployedLibraries, Deployment } from "./deployments";
import { compilerSettingsOf } from "./build";

export interface DeployHuzhuOptions {
  /** The factory refuses pools without an identity verifier (`FactoryOpenPoolRefusedError`); default false. */
  refusesOpenPools?: boolean;
  /** The network name recorded in the returned deployment (default "localhost"). */
  network?: string;
}

export interface DeployHuzhuResult {
  /** What to write to `deployments/<network>.json` (no pools yet). */
  deployment: Deployment;
  /** The factory's deployment transaction. */
  hash: string;
}

/**
 * Deploys Huzhu with an ethers v6 signer: the `Juries`, `Apportionment` and `Recovery` libraries, then the
 * `PoolFactory` linked to them (its constructor deploys the pool implementation). Used by `huzhu
 * deploy`, scripts/deploy.ts and the demo; needs the compiled contracts (`npx hardhat compile`).
 * @example
 * import { deployHuzhu, writeDeployment } from "@huzhu/sdk/node";
 * const { deployment } = await deployHuzhu(signer, { refusesOpenPools: true, network: "sepolia" });
 * writeDeployment(deployment);
 */
export async function deployHuzhu(signer: Signer, options: DeployHuzhuOptions = {}): Promise<DeployHuzhuResult> {
  const refusesOpenPools = options.refusesOpenPools ?? false;
  // The TypeChain factories carry the bytecode: loaded only here, where it is needed.
  const [{ Juries__factory }, { Apportionment__factory }, { Recovery__factory }, { PoolFactory__factory }] =
    await Promise.all([
      import("../../../typechain-types/factories/contracts/libraries/Juries__factory"),
      import("../../../typechain-types/factories/contracts/libraries/Apportionment__factory"),
      import("../../../typechain-types/factories/contracts/libraries/Recovery__factory"),
      import("../../../typechain-types/factories/contracts/PoolFactory__factory"),
    ]);
  try {
    const juries = await new Juries__factory(signer).deploy();
    const apportionment = await new Apportionment__factory(signer).deploy();
    const recovery = await new Recovery__factory(signer).deploy();
    const libraries: DeployedLibraries = {
      Juries: (await juries.getAddress()) as Address,
      Apportionment: (await apportionment.getAddress()) as Address,
      Recovery: (await recovery.getAddress()) as Address,
    };
    await Promise.all([juries.waitForDeployment(), apportionment.waitForDeployment(), recovery.waitForDeployment()]);
    const factory = await new PoolFactory__factory(
      {
        "contracts/libraries/Juries.sol:Juries": libraries.Juries,
        "contracts/libraries/Apportionment.sol:Apportionment": libraries.Apportionment,
        "contracts/libraries/Recovery.sol:Recovery": libraries.Recovery!,
      },
      signer,
    ).deploy(refusesOpenPools);
    const receipt = (await factory.deploymentTransaction()!.wait())!;
    const chainId = Number((await signer.provider!.getNetwork()).chainId);
    const compiler: CompilerSettings | undefined = compilerSettingsOf(PoolFactory__factory.bytecode);
    const deployment: Deployment = {
      network: options.network ?? "localhost",
      chainId,
      factory: { address: (await factory.getAddress()) as Address, block: BigInt(receipt.blockNumber) },
      implementation: (await factory.implementation()) as Address,
      libraries,
      refusesOpenPools,
      ...(compiler ? { compiler } : {}),
      pools: [],
    };
    return { deployment, hash: receipt.hash };
  } catch (error) {
    throw toHuzhuError(error);
  }
}
