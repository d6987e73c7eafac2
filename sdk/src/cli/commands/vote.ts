import type { Command } from "commander";
import { commitVote } from "../../actions/commitVote";
import { revealVote } from "../../actions/revealVote";
import type { Hex } from "../../core/types";
import { checkBytes32 } from "../../core/units";
import { InvalidParameterError } from "../../errors/base";
import { handle, parseWhole, print, txLine, txOf } from "../output";
import type { Session } from "../session";

interface VoteOptions {
  yes?: boolean;
  no?: boolean;
  salt?: string;
}

function supportOf(options: VoteOptions): boolean {
  if (options.yes === options.no) throw new InvalidParameterError("vote", "give exactly one of --yes, --no");
  return options.yes === true;
}

async function commit(session: Session, id: string, options: VoteOptions): Promise<void> {
  const claimId = parseWhole(id, "claim id");
  const support = supportOf(options);
  const salt = options.salt === undefined ? undefined : (checkBytes32(options.salt, "--salt") as Hex);
  const client = await session.writer();
  const result = await commitVote(client, { claimId, support, salt });
  print(session, { claimId, support, commitment: result.commitment, tx: txOf(result.receipt) }, [
    `committed a sealed vote on claim #${claimId}`,
    salt
      ? "reveal it in the reveal window with the same --salt"
      : "its salt is derived from a signature of your key: `huzhu vote reveal` recomputes it",
    txLine(result.receipt),
  ]);
}

async function reveal(session: Session, id: string, options: VoteOptions): Promise<void> {
  const claimId = parseWhole(id, "claim id");
  const support = supportOf(options);
  const salt = options.salt === undefined ? undefined : (checkBytes32(options.salt, "--salt") as Hex);
  const client = await session.writer();
  const receipt = await revealVote(client, { claimId, support, salt });
  print(session, { claimId, support, tx: txOf(receipt) }, [
    `revealed your vote ${support ? "for" : "against"} claim #${claimId}`,
    txLine(receipt),
  ]);
}

export function registerVote(program: Command): void {
  const vote = program.command("vote").description("vote on a claim: commit a sealed vote, then reveal it");
  for (const [name, description, fn] of [
    ["commit", "commit a sealed vote in the commit window", commit],
    ["reveal", "reveal your committed vote in the reveal window", reveal],
  ] as const) {
    vote
      .command(`${name} <id>`)
      .description(description)
      .option("--yes", "approve the claim")
      .option("--no", "reject the claim")
      .option("--salt <hex>", "your own salt (32 bytes of hex); by default derived from a signature of your key")
      .action(handle(fn));
  }
}
