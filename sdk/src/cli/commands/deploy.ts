import type { Command } from "commander";
import { HuzhuError } from "../../errors/base";
import { deployHuzhu } from "../../node/deploy";
import { tryLoadDeployment, writeDeployment } from "../../node/deployments";
import { handle, print } from "../output";
import type { Session } from "../session";

async function deploy(session: Session, options: { force?: boolean; refuseOpenPools?: boolean }): Promise<void> {
  const { network, deployments: dir } = session.options;
  // With --force a broken file is replaced too; without it, a broken file is an error to fix first.
  const existing = options.force ? undefined : tryLoadDeployment(network, dir);
  const wallet = await session.wallet();
  const provider = wallet.provider!;
  const chainId = Number((await provider.getNetwork()).chainId);
  if (existing && existing.chainId === chainId && (await provider.getCode(existing.factory.address)) !== "0x") {
    throw new HuzhuError(
      `${session.deploymentFile} already records a factory live at ${existing.factory.address}: pass --force to replace the file (its pools would no longer be listed).`,
    );
  }
  const { deployment, hash } = await deployHuzhu(wallet, {
    refusesOpenPools: options.refuseOpenPools === true,
    network,
  });
  const file = writeDeployment(deployment, dir);
  const libraries = deployment.libraries!;
  print(session, { ...deployment, file, hash }, [
    `deployed PoolFactory at ${deployment.factory.address} (block ${deployment.factory.block})`,
    `pool implementation ${deployment.implementation}`,
    `libraries Juries ${libraries.Juries}, Apportionment ${libraries.Apportionment}, Recovery ${libraries.Recovery}`,
    `open pools (no identity verifier) ${deployment.refusesOpenPools ? "refused" : "allowed"}`,
    deployment.compiler
      ? `compiler solc ${deployment.compiler.version}, optimizer ${deployment.compiler.optimizer.enabled ? `on (${deployment.compiler.optimizer.runs} runs)` : "off"}, viaIR ${deployment.compiler.viaIR}, evm ${deployment.compiler.evmVersion}`
      : "compiler settings unknown (no matching build artifacts here)",
    `wrote ${file}`,
  ]);
}

export function registerDeploy(program: Command): void {
  program
    .command("deploy")
    .description(
      "deploy the Juries, Apportionment and Recovery libraries and the PoolFactory (with its pool implementation); write deployments/<network>.json",
    )
    .option("--force", "replace a deployments file whose factory is still live on the chain")
    .option("--refuse-open-pools", "the factory refuses pools without an identity verifier")
    .action(handle(deploy));
}
