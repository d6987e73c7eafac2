import { expect } from "chai";
import { ethers, network } from "hardhat";
import { mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, createWalletClient, custom } from "viem";
import {
  createHuzhuClient,
  fromEthers,
  fromViem,
  parseAmount,
  identityCommitment,
  MemberDepositTooLowError,
  ClaimState,
} from "../../sdk/src";
import { defaultRules, DAY, deployFactory } from "../helpers/fixtures";

describe("sdk smoke", function () {
  it("runs a pool through ethers and viem clients", async function () {
    const [deployer, operator, alice, bob, carol, dave] = await ethers.getSigners();
    const token = await ethers.deployContract("MockERC20", ["Test USD", "TUSD", 6]);
    const factory = await deployFactory();
    const rules = defaultRules(await token.getAddress(), {
      capPerMember: parseAmount("100", 6),
      minBalance: parseAmount("600", 6),
      minDeposit: parseAmount("600", 6),
    });
    const admin = createHuzhuClient({
      connector: fromEthers(deployer),
      factory: (await factory.getAddress()) as `0x${string}`,
    });
    const { pool } = await admin.createPool({
      rules: rules as never,
      roles: { operator: operator.address as `0x${string}` },
    });

    const publicClient = createPublicClient({ transport: custom(network.provider) });
    const viemOf = (address: string) =>
      createHuzhuClient({
        connector: fromViem({
          publicClient,
          walletClient: createWalletClient({ account: address as `0x${string}`, transport: custom(network.provider) }),
        }),
        pool,
      });
    const clients = [
      createHuzhuClient({ connector: fromEthers(alice), pool }),
      viemOf(bob.address),
      createHuzhuClient({ connector: fromEthers(carol), pool }),
      viemOf(dave.address),
    ];
    for (const s of [alice, bob, carol, dave]) await token.mint(s.address, parseAmount("2000", 6));
    await expect(
      clients[0].join({ amount: 1n, commitment: identityCommitment("alice", ethers.ZeroHash as `0x${string}`) }),
    ).to.be.rejectedWith(MemberDepositTooLowError);
    for (const [i, c] of clients.entries()) {
      if (i === 1)
        await c.joinWithPermit({
          amount: parseAmount("1000", 6),
          commitment: identityCommitment(`m${i}`, ethers.ZeroHash as `0x${string}`),
        });
      else
        await c.join({
          amount: parseAmount("1000", 6),
          commitment: identityCommitment(`m${i}`, ethers.ZeroHash as `0x${string}`),
        });
    }
    expect((await clients[1].getPool()).memberCount).to.equal(4n);
    await time.increase(91 * DAY);
    const { claimId } = await clients[0].submitClaim({
      amount: parseAmount("200", 6),
      evidenceDigest: ethers.id("e") as `0x${string}`,
    });
    // A jury of 3 is drawn from the three other members (the claimant is never seated).
    await mine(2); // the seed block, and one after it for the simulation to see it
    await clients[3].drawJury({ claimId });
    const round = await clients[0].getRound({ claimId, round: 0n });
    for (const c of clients.slice(1)) await c.commitVote({ claimId, support: true });
    await time.increaseTo(round.commitEndsAt);
    for (const c of clients.slice(1)) await c.revealVote({ claimId, support: true });
    await time.increaseTo((await clients[0].getClaim({ claimId })).resolvesAt);
    await clients[3].resolve({ claimId });
    expect((await clients[3].getClaim({ claimId })).state).to.equal(ClaimState.Approved);
    const pi = await clients[0].getPool();
    await time.increaseTo(await (await ethers.getContractAt("HuzhuPool", pool)).periodEnd(pi.currentPeriod));
    while ((await clients[0].getPool()).nextPeriodToSettle <= pi.currentPeriod) await clients[1].settle();
    const s = await clients[0].getMemberStatement({ member: alice.address as `0x${string}` });
    expect(s.payout).to.equal(parseAmount("205", 6));
    expect(s.charged).to.equal(parseAmount("54", 6));
  });
});
