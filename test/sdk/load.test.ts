import { deployHuzhu } from "../../sdk/src/node";
import { expect } from "chai";
import { Wallet, id } from "ethers";
import {
  ClaimAlreadyOpenError,
  EnforcedPauseError,
  HuzhuError,
  RpcUnavailableError,
  TransactionDroppedError,
  TransactionRevertedError,
  TransactionTimeoutError,
  createHuzhuClient,
  fromEthers,
  identityCommitment,
  parseAmount,
  type Address,
  type HuzhuClient,
  type Rules,
} from "../../sdk/src";
import { HuzhuPool__factory, MockERC20__factory, type MockERC20 } from "../../typechain-types";
import { hardhatKey, startHardhatNode, type HardhatNode } from "../helpers/hardhatNode";
import { startRpcProxy, type RpcProxy } from "../helpers/rpcProxy";
import { loadTestRules } from "../helpers/loadRules";
import { IntegratorClients, type Library } from "../helpers/integratorClients";

const PORT = 8636;
const DAY = 24 * 60 * 60;
const USD = (amount: string) => parseAmount(amount, 6);
const ZERO_SALT = `0x${"00".repeat(32)}` as const;
const LIBRARIES = ["ethers", "viem"] as const;
const MODES = ["automine", "1 s interval mining"] as const;
type Mode = (typeof MODES)[number];

/** Hardhat accounts: 0 deploys, 1 operates, 2 guards; members from 3 on. */
const GUARDIAN = 2;
const MEMBER: Record<Mode, Record<Library, number>> = {
  automine: { ethers: 3, viem: 4 },
  "1 s interval mining": { ethers: 5, viem: 6 },
};
const STALLED: Record<Library, number> = { ethers: 7, viem: 8 };
const REFUSED: Record<Library, number> = { ethers: 9, viem: 10 };
const PAUSED_JOINER: Record<Library, number> = { ethers: 11, viem: 12 };
const SHARED_KEY: Record<Library, number> = { ethers: 13, viem: 14 };

/**
 * One wallet doing many things at once, over HTTP JSON-RPC through a proxy (which counts what the
 * clients send and can refuse requests): ethers `Wallet`s on a default `JsonRpcProvider` and viem
 * wallet clients with local accounts over `http()`, as an integrator sets them up.
 */
describe("sdk under load: one wallet's parallel actions over HTTP @json-rpc", function () {
  this.timeout(600_000);

  let node: HardhatNode;
  let proxy: RpcProxy;
  let token: MockERC20;
  let pool: Address;
  let rules: Rules;
  let integrator: IntegratorClients;

  const addressOf = (index: number) => new Wallet(hardhatKey(index)).address as Address;
  const clientFor = (
    library: Library,
    index: number,
    options: { receiptTimeoutMs?: number; pollingIntervalMs?: number } = {},
  ): HuzhuClient => integrator.client(library, index, { pool, ...options });

  const blockNumber = async () => Number(await node.send("eth_blockNumber"));
  /** Every transaction `from` sent that was mined in blocks after `after`, with its status. */
  async function minedFrom(from: Address, after: number): Promise<Array<{ hash: string; ok: boolean }>> {
    const mined = [];
    const last = await blockNumber();
    for (let n = after + 1; n <= last; n++) {
      const block = (await node.send("eth_getBlockByNumber", [`0x${n.toString(16)}`, true])) as {
        transactions: Array<{ hash: string; from: string }>;
      };
      for (const tx of block.transactions) {
        if (tx.from.toLowerCase() !== from.toLowerCase()) continue;
        const receipt = (await node.send("eth_getTransactionReceipt", [tx.hash])) as { status: string };
        mined.push({ hash: tx.hash, ok: receipt.status === "0x1" });
      }
    }
    return mined;
  }
  const credit = async (client: HuzhuClient, member: Address) => (await client.getMemberStatement({ member })).credit;
  async function setMode(mode: Mode | "stalled") {
    if (mode === "automine") {
      await node.send("evm_setIntervalMining", [0]);
      await node.send("evm_setAutomine", [true]);
    } else {
      await node.send("evm_setAutomine", [false]);
      await node.send("evm_setIntervalMining", [mode === "stalled" ? 0 : 1000]);
    }
  }
  /** Waits until the node holds `count` transactions of `account`, mined or pending. */
  async function untilPending(account: Address, count: number) {
    while (Number(await node.send("eth_getTransactionCount", [account, "pending"])) < count)
      await new Promise((resolve) => setTimeout(resolve, 50));
  }

  before(async function () {
    node = await startHardhatNode(PORT);
    proxy = await startRpcProxy(node.url);
    integrator = new IntegratorClients(proxy.url);
    const deployer = node.wallet(0);
    token = await new MockERC20__factory(deployer).deploy("Test USD", "TUSD", 6);
    const factory = (await deployHuzhu(deployer)).deployment.factory.address;
    rules = loadTestRules((await token.getAddress()) as Address);
    const admin = createHuzhuClient({ connector: fromEthers(deployer), factory });
    ({ pool } = await admin.createPool({
      rules,
      roles: { operator: addressOf(1), guardian: addressOf(GUARDIAN) },
    }));
    for (let index = 3; index <= 14; index++) await (await token.mint(addressOf(index), USD("10000"))).wait();
    // The members of the parallel tests join now and are Active (past the waiting period) for claims.
    for (const mode of MODES)
      for (const library of LIBRARIES) {
        const index = MEMBER[mode][library];
        await clientFor(library, index).join({
          amount: USD("1000"),
          commitment: identityCommitment(`passport:${index}`, ZERO_SALT),
        });
      }
    for (const library of LIBRARIES)
      for (const index of [STALLED[library], REFUSED[library], SHARED_KEY[library]])
        await clientFor(library, index).join({
          amount: USD("1000"),
          commitment: identityCommitment(`passport:${index}`, ZERO_SALT),
        });
    await node.increaseTime(91 * DAY);
  });

  after(async function () {
    integrator?.close();
    await proxy?.stop();
    await node?.stop();
  });

  for (const mode of MODES) {
    describe(`with ${mode}`, function () {
      before(() => setMode(mode));
      after(() => setMode("automine"));

      for (const library of LIBRARIES) {
        it(`lands 50 parallel top-ups from one ${library} wallet, approving what they need in total`, async function () {
          const index = MEMBER[mode][library];
          const member = addressOf(index);
          const client = clientFor(library, index);
          const start = await blockNumber();
          const before = await credit(client, member);
          const tokens = await token.balanceOf(member);
          proxy.reset();

          const results = await Promise.allSettled(
            Array.from({ length: 50 }, () => client.topUp({ amount: USD("1") })),
          );

          const rejected = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
          expect(rejected.map((r) => String(r.reason))).to.deep.equal([]);
          expect((await credit(client, member)) - before).to.equal(USD("50"));
          expect(tokens - (await token.balanceOf(member))).to.equal(USD("50"));
          // The approvals added up to exactly what the top-ups pulled.
          expect(await token.allowance(member, pool)).to.equal(0n);
          const mined = await minedFrom(member, start);
          expect(mined.filter((t) => !t.ok)).to.deep.equal([]);
          // Every transaction sent was mined: no refused nonce, no resend.
          expect(proxy.sent()).to.equal(mined.length);
          expect(mined.length).to.be.greaterThanOrEqual(51).and.lessThan(100);
        });

        it(`runs 25 parallel top-ups and claims from one ${library} wallet: one claim, the rest refused by name`, async function () {
          const index = MEMBER[mode][library];
          const member = addressOf(index);
          const client = clientFor(library, index);
          const start = await blockNumber();
          const before = await credit(client, member);
          const tokens = await token.balanceOf(member);

          const actions = Array.from({ length: 25 }, (_, k) =>
            k % 5 === 2
              ? client.submitClaim({ amount: USD("100"), evidenceDigest: id(`${mode}:${library}:${k}`) as Address })
              : client.topUp({ amount: USD("2") }),
          );
          const results = await Promise.allSettled(actions);

          const claims = results.filter((_, k) => k % 5 === 2);
          const topUps = results.filter((_, k) => k % 5 !== 2);
          expect(
            topUps.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)),
          ).to.deep.equal([]);
          expect(
            claims.filter((r) => r.status === "fulfilled").length,
            claims.map((r) => (r.status === "rejected" ? String(r.reason) : "ok")).join("; "),
          ).to.equal(1);
          for (const r of claims.filter((r) => r.status === "rejected") as PromiseRejectedResult[]) {
            expect(r.reason).to.be.instanceOf(ClaimAlreadyOpenError);
            expect((r.reason as ClaimAlreadyOpenError).member).to.equal(member);
          }
          expect((await credit(client, member)) - before).to.equal(USD("40"));
          // 20 top-ups of 2 and one bond of 5 left the wallet; nothing else.
          expect(tokens - (await token.balanceOf(member))).to.equal(USD("45"));
          // A refused claim may leave the bond it had approved, never more.
          expect(await token.allowance(member, pool)).to.be.lessThanOrEqual(USD("20"));
          expect((await minedFrom(member, start)).filter((t) => !t.ok)).to.deep.equal([]);
        });
      }
    });
  }

  for (const library of LIBRARIES) {
    it(`a stalled chain gives a ${library} caller TransactionTimeoutError with the hash; waiting again gets the receipt`, async function () {
      const index = STALLED[library];
      const member = addressOf(index);
      await (await token.connect(node.wallet(index)).approve(pool, USD("5"))).wait();
      const client = clientFor(library, index, { receiptTimeoutMs: 1_500, pollingIntervalMs: 100 });
      const before = await credit(client, member);
      await setMode("stalled");
      try {
        const error = (await client
          .topUp({ amount: USD("5"), approve: false })
          .catch((e: unknown) => e)) as TransactionTimeoutError;
        expect(error).to.be.instanceOf(TransactionTimeoutError);
        expect(error).to.be.instanceOf(HuzhuError);
        expect(error.hash).to.match(/^0x[0-9a-f]{64}$/);
        expect(error.shortMessage).to.contain(error.hash).and.contain("may still be mined");
        const pending = (await node.send("eth_getTransactionByHash", [error.hash])) as { blockNumber: string | null };
        expect(pending.blockNumber).to.equal(null);

        await node.send("evm_mine");
        const receipt = await client.waitForTransaction({ hash: error.hash });
        expect(receipt.status).to.equal("success");
        expect((await credit(client, member)) - before).to.equal(USD("5"));
      } finally {
        await setMode("automine");
      }
    });

    it(`a transaction the node drops gives a ${library} caller TransactionDroppedError, and the next action still lands`, async function () {
      const index = STALLED[library];
      const member = addressOf(index);
      await (await token.connect(node.wallet(index)).approve(pool, USD("3"))).wait();
      const client = clientFor(library, index, { receiptTimeoutMs: 1_000, pollingIntervalMs: 100 });
      const before = await credit(client, member);
      await setMode("stalled");
      let hash: `0x${string}`;
      try {
        const error = (await client
          .topUp({ amount: USD("3"), approve: false })
          .catch((e: unknown) => e)) as TransactionTimeoutError;
        expect(error).to.be.instanceOf(TransactionTimeoutError);
        hash = error.hash;
        await node.send("hardhat_dropTransaction", [hash]);
        const dropped = await client.waitForTransaction({ hash, timeoutMs: 5_000 }).catch((e: unknown) => e);
        expect(dropped).to.be.instanceOf(TransactionDroppedError);
        expect((dropped as TransactionDroppedError).hash).to.equal(hash);
      } finally {
        await setMode("automine");
      }
      // The dropped nonce is reused: no gap holds the next transaction back.
      await clientFor(library, index).topUp({ amount: USD("3"), approve: false });
      expect((await credit(client, member)) - before).to.equal(USD("3"));
    });

    it(`a mined revert reaches a ${library} caller as TransactionRevertedError with the contract's error`, async function () {
      const index = PAUSED_JOINER[library];
      const member = addressOf(index);
      await (await token.connect(node.wallet(index)).approve(pool, USD("1000"))).wait();
      const client = clientFor(library, index, { pollingIntervalMs: 100 });
      const count = Number(await node.send("eth_getTransactionCount", [member, "latest"]));
      const guardian = HuzhuPool__factory.connect(pool, node.wallet(GUARDIAN));
      await setMode("stalled");
      try {
        const joining = client
          .join({ amount: USD("1000"), commitment: identityCommitment(`passport:${index}`, ZERO_SALT), approve: false })
          .catch((e: unknown) => e);
        // The join passed its simulation and waits in the pool; the guardian's pause, paying more, is mined first.
        await untilPending(member, count + 1);
        await guardian.pause({ maxPriorityFeePerGas: 50_000_000_000n, maxFeePerGas: 100_000_000_000n });
        await node.send("evm_mine");
        const error = (await joining) as TransactionRevertedError;
        expect(error).to.be.instanceOf(TransactionRevertedError);
        expect(error.receipt.status).to.equal("reverted");
        expect(error.reason).to.be.instanceOf(EnforcedPauseError);
        expect(error.shortMessage).to.contain(error.hash).and.contain("reverted");
      } finally {
        await setMode("automine");
        if (await guardian.paused()) await (await guardian.unpause()).wait();
      }
    });

    it(`a node that refuses one request in five: 10 parallel ${library} top-ups from one wallet all land`, async function () {
      const index = REFUSED[library];
      const member = addressOf(index);
      const client = clientFor(library, index);
      const start = await blockNumber();
      const before = await credit(client, member);
      proxy.reset();
      proxy.refuseEvery(5);
      try {
        const results = await Promise.allSettled(Array.from({ length: 10 }, () => client.topUp({ amount: USD("1") })));
        expect(
          results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)),
        ).to.deep.equal([]);
        expect(proxy.refused).to.be.greaterThan(0);
      } finally {
        proxy.refuseEvery(0);
      }
      expect((await credit(client, member)) - before).to.equal(USD("10"));
      expect((await minedFrom(member, start)).filter((t) => !t.ok)).to.deep.equal([]);
      expect(await token.allowance(member, pool)).to.equal(0n);
    });

    it(`a node that answers nothing gives a ${library} caller RpcUnavailableError, for a read and for an action`, async function () {
      const index = REFUSED[library];
      const member = addressOf(index);
      const client = clientFor(library, index);
      await client.getPool(); // the provider knows its network
      const sent = Number(await node.send("eth_getTransactionCount", [member, "latest"]));
      proxy.refuseEvery(1);
      try {
        const read = await client.getMemberStatement({ member }).catch((e: unknown) => e);
        expect(read).to.be.instanceOf(RpcUnavailableError);
        expect((read as RpcUnavailableError).shortMessage).to.equal(
          "The JSON-RPC node did not answer: try again, or use another node.",
        );
        expect((read as RpcUnavailableError).cause).to.not.equal(undefined);
        const action = await client.topUp({ amount: USD("1") }).catch((e: unknown) => e);
        expect(action).to.be.instanceOf(RpcUnavailableError);
      } finally {
        proxy.refuseEvery(0);
      }
      expect(Number(await node.send("eth_getTransactionCount", [member, "latest"]))).to.equal(sent);
    });

    it(`another process sending from the same key meanwhile: 10 parallel ${library} top-ups still land`, async function () {
      const index = SHARED_KEY[library];
      const member = addressOf(index);
      const client = clientFor(library, index);
      const before = await credit(client, member);
      const start = await blockNumber();
      // The other process: its own provider and wallet, choosing nonces itself, retrying when refused.
      const other = new Wallet(hardhatKey(index), node.provider());
      const otherToken = token.connect(other);
      const others = Array.from({ length: 5 }, async () => {
        for (let attempt = 0; ; attempt++) {
          try {
            const nonce = await other.provider!.getTransactionCount(member, "pending");
            return await (await otherToken.transfer(member, 1n, { nonce })).wait();
          } catch (error) {
            if (attempt > 20) throw error;
          }
        }
      });
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => client.topUp({ amount: USD("1") })));
      await Promise.all(others);
      for (const r of results.filter((r) => r.status === "rejected") as PromiseRejectedResult[])
        expect(r.reason).to.be.instanceOf(HuzhuError);
      const landed = results.filter((r) => r.status === "fulfilled").length;
      expect((await credit(client, member)) - before).to.equal(USD(String(landed)));
      expect((await minedFrom(member, start)).filter((t) => !t.ok)).to.deep.equal([]);
      expect(landed).to.equal(10);
    });
  }
});
