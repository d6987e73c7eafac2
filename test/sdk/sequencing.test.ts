import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { makeError } from "ethers";
import { HttpRequestError, InsufficientFundsError as ViemInsufficientFundsError, NonceTooLowError } from "viem";
import {
  HuzhuError,
  InsufficientFundsError,
  NonceConflictError,
  RpcRequestError,
  RpcUnavailableError,
  UserRejectedRequestError,
  classifyRpcFailure,
  createHuzhuClient,
  toRpcError,
  type Address,
  type Connector,
} from "../../sdk/src";
import { KINDS, USD, clientFor, connectorFor, membersFixture } from "./helpers";

/** Every transaction `from` sent in blocks after `after`, with its status. */
async function minedFrom(from: string, after: number) {
  const mined = [];
  const last = await ethers.provider.getBlockNumber();
  for (let n = after + 1; n <= last; n++) {
    const block = await ethers.provider.getBlock(n, true);
    for (const tx of block!.prefetchedTransactions) {
      if (tx.from !== from) continue;
      mined.push((await ethers.provider.getTransactionReceipt(tx.hash))!.status === 1);
    }
  }
  return mined;
}

describe("sdk transaction sequencing", function () {
  for (const kind of KINDS) {
    describe(`with a ${kind} wallet that chooses its own nonces (the path of a browser wallet)`, function () {
      it("lands 20 parallel top-ups from one member, approving exactly what they pull", async function () {
        const f = await loadFixture(membersFixture);
        const member = f.members[0];
        const client = clientFor(kind, member, { pool: f.poolAddress });
        const start = await ethers.provider.getBlockNumber();
        const before = await f.pool.balanceOf(member.address);

        const results = await Promise.allSettled(Array.from({ length: 20 }, () => client.topUp({ amount: USD("1") })));

        expect(
          results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)),
        ).to.deep.equal([]);
        expect((await f.pool.balanceOf(member.address)) - before).to.equal(USD("20"));
        expect(await f.token.allowance(member.address, f.poolAddress)).to.equal(0n);
        const mined = await minedFrom(member.address, start);
        expect(mined.every((ok) => ok)).to.equal(true);
        expect(mined.length).to.be.greaterThanOrEqual(21);
      });

      /** The member's connector, with the wallet's answer to a send replaced by `refusal`. */
      function refusing(connector: Connector, refusal: unknown): Connector {
        return {
          ...connector,
          sendTransaction: async () => {
            throw refusal;
          },
        };
      }

      it("gives NonceConflictError when every nonce it tries is taken, and sends nothing", async function () {
        const f = await loadFixture(membersFixture);
        const member = f.members[0];
        const connector = refusing(
          connectorFor(kind, member),
          new Error("Nonce too low. Expected nonce to be 9 but got 3."),
        );
        const client = createHuzhuClient({ connector, pool: f.poolAddress });
        const sent = await ethers.provider.getTransactionCount(member.address);
        const error = await client.withdraw({ amount: USD("1") }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(NonceConflictError);
        expect((error as NonceConflictError).account).to.equal(member.address);
        expect((error as NonceConflictError).shortMessage).to.match(/^Another sender keeps using the nonces of 0x/);
        expect((error as NonceConflictError).cause).to.be.instanceOf(Error);
        expect(await ethers.provider.getTransactionCount(member.address)).to.equal(sent);
      });

      it("gives UserRejectedRequestError when the wallet's owner declines", async function () {
        const f = await loadFixture(membersFixture);
        const declined = Object.assign(new Error("User rejected the request."), { code: 4001 });
        const connector = refusing(connectorFor(kind, f.members[0]), declined);
        const client = createHuzhuClient({ connector, pool: f.poolAddress });
        const error = await client.withdraw({ amount: USD("1") }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(UserRejectedRequestError);
        expect((error as HuzhuError).shortMessage).to.equal(
          "The request was declined in the wallet: nothing was sent.",
        );
      });

      it("gives InsufficientFundsError when the account cannot pay for gas", async function () {
        const f = await loadFixture(membersFixture);
        const broke = new ViemInsufficientFundsError();
        const connector = refusing(connectorFor(kind, f.members[0]), broke);
        const client = createHuzhuClient({ connector, pool: f.poolAddress });
        const error = await client.withdraw({ amount: USD("1") }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(InsufficientFundsError);
        expect((error as InsufficientFundsError).account).to.equal(f.members[0].address as Address);
      });
    });
  }

  describe("what nodes and libraries throw, by kind", function () {
    it("tells nonce conflicts, known and underpriced transactions, and missing funds apart", function () {
      expect(classifyRpcFailure(makeError("nonce has already been used", "NONCE_EXPIRED"))).to.equal("nonce-low");
      expect(classifyRpcFailure(new NonceTooLowError())).to.equal("nonce-low");
      expect(classifyRpcFailure(new Error("Nonce too high. Expected nonce to be 3 but got 5."))).to.equal("nonce-high");
      expect(classifyRpcFailure(new Error("Known transaction: 0x1234"))).to.equal("known");
      expect(classifyRpcFailure({ error: { message: "already known" } })).to.equal("known");
      expect(classifyRpcFailure(new Error("replacement transaction underpriced"))).to.equal("underpriced");
      expect(classifyRpcFailure(makeError("insufficient funds", "INSUFFICIENT_FUNDS"))).to.equal("funds");
      expect(classifyRpcFailure(new ViemInsufficientFundsError())).to.equal("funds");
    });

    it("turns an unreachable or overloaded node into RpcUnavailableError, anything else into RpcRequestError", function () {
      const overloaded = makeError("server response 503 Service Unavailable", "SERVER_ERROR");
      const refused = new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
      });
      const viemDown = new HttpRequestError({ url: "http://127.0.0.1:1", status: 503 });
      for (const error of [overloaded, refused, viemDown]) {
        const typed = toRpcError(error);
        expect(typed).to.be.instanceOf(RpcUnavailableError);
        expect(typed.cause).to.equal(error);
        expect((typed as RpcUnavailableError).maybeSent).to.equal(false);
      }
      expect(toRpcError(overloaded, { maybeSent: true }).shortMessage).to.contain("may or may not have been sent");
      const odd = toRpcError(new Error("the method eth_foo does not exist"));
      expect(odd).to.be.instanceOf(RpcRequestError);
      expect(odd.shortMessage).to.equal("The JSON-RPC node refused the request.");
      expect(odd.details).to.equal("the method eth_foo does not exist");
    });
  });
});
