import { expect } from "chai";
import fc from "fast-check";
import {
  decodeEventLog,
  decodeFunctionResult,
  encodeAbiParameters,
  encodeEventTopics,
  encodeFunctionData,
  encodeFunctionResult,
  getAddress,
  type AbiEvent,
  type AbiFunction,
  type AbiParameter,
} from "viem";
import { createPoolEventDecoder, multicall3Abi, poolAbi } from "../../sdk/src";
import {
  checksumAddress,
  decodeAggregate3,
  decodeResult,
  encodeAggregate3,
  encodeCall,
} from "../../sdk/src/internal/abiCodec";

type Param = AbiParameter & { components?: readonly AbiParameter[] };

/** Random values of an ABI type, as viem takes them. */
function arbitrary(p: Param): fc.Arbitrary<unknown> {
  const t = p.type;
  if (t === "tuple") {
    const parts = (p.components ?? []).map((c) => arbitrary(c as Param));
    return fc
      .tuple(...parts)
      .map((values) =>
        (p.components ?? []).every((c) => c.name)
          ? Object.fromEntries((p.components ?? []).map((c, i) => [c.name!, values[i]]))
          : values,
      );
  }
  if (t.endsWith("[]")) return fc.array(arbitrary({ ...p, type: t.slice(0, -2) }), { maxLength: 4 });
  if (t === "address") return fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(hex(b)));
  if (t === "bool") return fc.boolean();
  if (t === "string") return fc.string({ maxLength: 40 });
  if (t === "bytes") return fc.uint8Array({ maxLength: 70 }).map(hex);
  const bytes = /^bytes(\d+)$/.exec(t);
  if (bytes) return fc.uint8Array({ minLength: Number(bytes[1]), maxLength: Number(bytes[1]) }).map(hex);
  const int = /^(u?)int(\d*)$/.exec(t)!;
  const bits = BigInt(int[2] || 256);
  const value = int[1] ? fc.bigInt(0n, (1n << bits) - 1n) : fc.bigInt(-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n);
  return bits <= 48n ? value.map(Number) : value;
}

const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString("hex")}` as `0x${string}`;

const items = poolAbi as unknown as Array<AbiFunction | AbiEvent | { type: string }>;
const views = items.filter(
  (item): item is AbiFunction =>
    item.type === "function" && ["view", "pure"].includes((item as AbiFunction).stateMutability),
);

describe("the auditor's fast ABI codec gives exactly what viem gives", function () {
  this.timeout(120_000);

  it("checksums addresses as EIP-55 (viem's getAddress)", function () {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (b) => {
        expect(checksumAddress(hex(b))).to.equal(getAddress(hex(b)));
      }),
    );
  });

  for (const fn of views) {
    it(`encodes ${fn.name}'s call and decodes its result`, function () {
      fc.assert(
        fc.property(
          fc.tuple(...fn.inputs.map((i) => arbitrary(i as Param))),
          arbitrary({ type: "tuple", components: fn.outputs } as Param),
          (args, out) => {
            const viemCall = encodeFunctionData({ abi: [fn], functionName: fn.name, args } as never);
            expect(encodeCall(poolAbi, fn.name, args)).to.equal(viemCall);
            const outputs = fn.outputs.length === 1 ? Object.values(out as object)[0] : Object.values(out as object);
            const data = encodeFunctionResult({ abi: [fn], functionName: fn.name, result: outputs } as never);
            expect(decodeResult(poolAbi, fn.name, args, data)).to.deep.equal(
              decodeFunctionResult({ abi: [fn], functionName: fn.name, data } as never),
            );
          },
        ),
        { numRuns: 25 },
      );
    });
  }

  it("decodes every pool event as viem's decodeEventLog does", function () {
    const decode = createPoolEventDecoder();
    for (const event of items.filter((i): i is AbiEvent => i.type === "event")) {
      fc.assert(
        fc.property(fc.tuple(...event.inputs.map((i) => arbitrary(i as Param))), (values) => {
          const args = Object.fromEntries(event.inputs.map((input, i) => [input.name!, values[i]]));
          const topics = encodeEventTopics({ abi: [event], eventName: event.name, args } as never);
          const dataInputs = event.inputs.filter((i) => !i.indexed);
          const data = encodeAbiParameters(
            dataInputs,
            dataInputs.map((i) => args[i.name!]),
          );
          const log = {
            address: getAddress(`0x${"11".repeat(20)}`),
            topics,
            data,
            blockNumber: 1n,
            logIndex: 0,
            transactionHash: `0x${"22".repeat(32)}` as const,
          };
          const ours = decode(log as never)!;
          const theirs = decodeEventLog({ abi: [event], topics: topics as never, data });
          expect(ours.name).to.equal(theirs.eventName);
          // An event without fields: viem gives no args, the decoder an empty object (as it always did).
          expect(ours.args).to.deep.equal(theirs.args ?? {});
        }),
        { numRuns: 10 },
      );
    }
  });

  it("encodes aggregate3 calls and decodes its answers as viem does", function () {
    const call = fc.record({
      target: arbitrary({ type: "address" } as Param) as fc.Arbitrary<`0x${string}`>,
      allowFailure: fc.boolean(),
      callData: fc.uint8Array({ maxLength: 100 }).map(hex),
    });
    const result = fc.record({ success: fc.boolean(), returnData: fc.uint8Array({ maxLength: 300 }).map(hex) });
    fc.assert(
      fc.property(fc.array(call, { maxLength: 6 }), fc.array(result, { maxLength: 6 }), (calls, results) => {
        expect(encodeAggregate3(calls)).to.equal(
          encodeFunctionData({ abi: multicall3Abi, functionName: "aggregate3", args: [calls] }),
        );
        const answer = encodeFunctionResult({ abi: multicall3Abi, functionName: "aggregate3", result: results });
        expect(decodeAggregate3(answer)).to.deep.equal(results);
      }),
    );
    expect(() => decodeAggregate3("0x")).to.throw();
  });
});
