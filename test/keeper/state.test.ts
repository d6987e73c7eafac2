import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { PoolState, decodePoolLogs } from "../../sdk/src/node";
import { fromEthers, getPool, type Address, type Hex, type LogEntry } from "../../sdk/src";
import {
  commitmentOf,
  deployPool,
  endPeriod,
  join,
  settleDue,
  submitClaim,
  decide,
  DAY,
  USDC,
} from "../helpers/fixtures";

/** The pool's whole history, as the keeper reads it. */
async function history(poolAddress: string): Promise<LogEntry[]> {
  const logs = await ethers.provider.getLogs({ address: poolAddress, fromBlock: 0 });
  return logs.map((l) => ({
    address: l.address as Address,
    topics: l.topics as Hex[],
    data: l.data as Hex,
    blockNumber: BigInt(l.blockNumber),
    logIndex: l.index,
    transactionHash: l.transactionHash as Hex,
  }));
}

describe("Keeper index: recoveries and withdrawals to another address", function () {
  it("moves a recovered member to the new wallet and follows withdrawTo, agreeing with the pool", async function () {
    const setup = await deployPool();
    const { pool, members } = setup;
    const [alice, bob, carol, dave, newAlice, helper, elsewhere] = members;
    for (const m of [alice, bob, carol, dave]) await join(setup, m, USDC(100));
    await time.increase(91 * DAY);
    await pool.connect(alice).setRecoveryOptions(helper.address, false);
    await pool.connect(bob).withdrawTo(USDC(30), elsewhere.address);
    // A claim paid, so that the charge index moves and balances depend on it.
    const id = await submitClaim(setup, carol, USDC(50));
    await decide(pool, id, true);
    await pool.resolve(id);
    await endPeriod(pool, await pool.currentPeriod());
    await settleDue(pool);
    const commitment = commitmentOf(alice.address);
    expect(await pool.commitmentOwner(commitment)).to.equal(alice.address);
    await pool.connect(helper).requestRecovery(commitment, newAlice.address, 0n, "0x");
    await time.increase(30 * DAY);
    await pool.completeRecovery(commitment);

    const client = { connector: fromEthers(dave), pool: (await pool.getAddress()) as Address };
    const { rules } = await getPool(client);
    const state = new PoolState(rules);
    state.apply(decodePoolLogs(await history(await pool.getAddress())));

    expect(state.members.has(alice.address as Address)).to.equal(false);
    for (const m of [newAlice, bob, carol, dave]) {
      const entry = state.members.get(m.address as Address);
      expect(entry, m.address).to.not.equal(undefined);
      expect(state.balanceOf(entry!)).to.equal(await pool.balanceOf(m.address));
    }
    expect(state.memberCount).to.equal(await pool.memberCount());
  });
});
