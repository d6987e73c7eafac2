/**
 * Deploys Huzhu and records it in deployments/<network>.json: the Juries, Apportionment and Recovery libraries,
 * the PoolFactory linked to them (which deploys the pool implementation), and, when HUZHU_RULES names
 * a rules file, a first pool. HUZHU_REFUSE_OPEN_POOLS=1 makes a factory that refuses pools without an
 * identity verifier.
 *
 *   npx hardhat run scripts/deploy.ts                                  # the in-process network
 *   npx hardhat run scripts/deploy.ts --network localhost              # a `npx hardhat node`
 *   HUZHU_RPC_URL=https://... HUZHU_PRIVATE_KEY=0x... \
 *     npx hardhat run scripts/deploy.ts --network remote               # any EVM network
 *
 * HUZHU_RULES=rules.json creates a first pool (see sdk/src/node/rulesFile.ts for the format); its
 * operator defaults to the deployer. HUZHU_TEST_TOKEN=1 deploys a test stablecoin (6 decimals) and
 * uses it as the asset when the rules file's asset is the zero address: for local networks only.
 * HUZHU_DEPLOYMENTS=<dir> writes elsewhere than deployments/. Verify the sources afterwards with
 * `npx hardhat verify --network remote <factory address>` (set ETHERSCAN_API_KEY).
 */
import { ethers, network } from "hardhat";
import type { Address } from "../sdk/src";
import { createPool, createHuzhuClient, fromEthers } from "../sdk/src";
import { addPool, deployHuzhu, writeDeployment } from "../sdk/src/node";
import { readRulesFile, fullRoles } from "../sdk/src/node";

const ZERO = "0x0000000000000000000000000000000000000000";

async function main() {
  const [deployer] = await ethers.getSigners();
  const dir = process.env.HUZHU_DEPLOYMENTS ?? "deployments";
  let { deployment } = await deployHuzhu(deployer, {
    refusesOpenPools: process.env.HUZHU_REFUSE_OPEN_POOLS === "1",
    network: network.name,
  });
  console.log(
    `PoolFactory ${deployment.factory.address} (block ${deployment.factory.block}), implementation ${deployment.implementation}`,
  );
  console.log(
    `libraries Juries ${deployment.libraries!.Juries}, Apportionment ${deployment.libraries!.Apportionment}, Recovery ${deployment.libraries!.Recovery}`,
  );

  if (process.env.HUZHU_RULES) {
    const { rules, roles } = readRulesFile(process.env.HUZHU_RULES);
    if (rules.asset.toLowerCase() === ZERO && process.env.HUZHU_TEST_TOKEN === "1") {
      const token = await ethers.deployContract("MockERC20", ["Test USD", "TUSD", 6]);
      rules.asset = (await token.getAddress()) as Address;
      console.log(`test token ${rules.asset}`);
    }
    const client = createHuzhuClient({ connector: fromEthers(deployer), factory: deployment.factory.address });
    const poolRoles = fullRoles({ ...roles, operator: roles.operator ?? (deployer.address as Address) });
    const { pool, receipt: created } = await createPool(client, { rules, roles: poolRoles });
    // The roles and the creation block go into the file: a keeper or auditor reads them from there.
    deployment = addPool(deployment, {
      name: "default",
      address: pool,
      block: created.blockNumber,
      rules,
      roles: poolRoles,
    });
    console.log(`pool ${pool} (block ${created.blockNumber})`);
  }
  console.log(`wrote ${writeDeployment(deployment, dir)}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
