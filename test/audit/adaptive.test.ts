import { expect } from "chai";
import { AdaptiveSize } from "../../sdk/src/internal/adaptive";

/** Asks `requests` times against an endpoint that refuses sizes above `limit`; returns each size asked and whether it was refused. */
function drive(size: AdaptiveSize, limit: (request: number) => number, requests: number) {
  const asked: Array<[number, boolean]> = [];
  for (let i = 0; i < requests; i++) {
    const n = size.current;
    const refused = n > limit(i);
    asked.push([n, refused]);
    if (refused) size.refused(n);
    else size.answered(n);
  }
  return asked;
}

describe("AdaptiveSize: request sizes against an endpoint's refusals", function () {
  it("halves to an answer, grows back a quarter at a time to just below the refused size, and stays there", function () {
    const asked = drive(new AdaptiveSize(10_000), () => 8, 12);
    expect(asked.map(([n]) => n)).to.deep.equal([10_000, 5_000, 2_500, 1_250, 625, 312, 156, 78, 39, 19, 9, 4]);
    const more = drive(new AdaptiveSize(10_000), () => 8, 30).slice(11);
    // 9 was refused: 4 answered, then 5, 6, 7, 8 and 8 on.
    expect(more.slice(0, 6).map(([n]) => n)).to.deep.equal([4, 5, 6, 7, 8, 8]);
    expect(more.every(([, refused]) => !refused)).to.equal(true);
  });

  it("refuses about one request in 64 against a fixed limit, not every other one", function () {
    const size = new AdaptiveSize(10_000);
    const asked = drive(size, () => 8, 2_000);
    const halvings = 11; // 10,000 down to 4
    const refused = asked.filter(([, r]) => r).length;
    expect(refused).to.be.greaterThan(halvings);
    expect(refused).to.be.at.most(halvings + Math.ceil(2_000 / 64));
    // Every answered request after the climb back asks the limit itself.
    expect(asked.slice(20).filter(([n, r]) => !r && n !== 8)).to.deep.equal([]);
  });

  it("settles at the largest size answered when a larger one is refused", function () {
    const asked = drive(new AdaptiveSize(64), () => 16, 40);
    // 64 and 32 refused, 16 answered, 20 refused once (a quarter more), then 16 until the probe.
    expect(asked.slice(0, 6)).to.deep.equal([
      [64, true],
      [32, true],
      [16, false],
      [20, true],
      [16, false],
      [16, false],
    ]);
    expect(asked.filter(([, r]) => r)).to.have.length(3);
  });

  it("follows a limit that falls (a dense stretch) and grows again when it rises", function () {
    const size = new AdaptiveSize(1_000);
    const asked = drive(size, (i) => (i < 100 ? 1_000 : i < 200 ? 50 : 1_000), 400);
    expect(asked[99]).to.deep.equal([1_000, false]);
    // Down to the lower limit in a few refusals (five halvings, one step above, one probe)...
    expect(asked.slice(100, 200).filter(([, r]) => r).length).to.be.at.most(8);
    expect(asked[199][0]).to.be.at.most(50);
    // ...and back up to the maximum after the limit rises, slowly (probes every 64 answers).
    expect(asked[399][0]).to.be.greaterThan(50);
    expect(asked.slice(200).every(([, r]) => !r)).to.equal(true);
  });

  it("never asks for less than one nor more than its maximum", function () {
    const size = new AdaptiveSize(4, 4);
    drive(size, () => 0, 10);
    expect(size.current).to.equal(1);
    drive(size, () => 100, 200);
    expect(size.current).to.equal(4);
  });
});
