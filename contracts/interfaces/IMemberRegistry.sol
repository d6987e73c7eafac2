// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IMemberRegistry
/// @notice Who is in the pool. A member is one wallet bound to one identity commitment (a salted
/// hash: no personal data goes on chain). The member count, every join and every exit live here,
/// so nobody can inflate or deflate the count that the share is divided by.
/// @dev Warning: the identity verifier can sign attestations only; it can never add or remove a member.
/// Its attestation of a member's commitment for a new wallet only starts a recovery (IMemberRecovery):
/// 30 days that the member's wallet can cut short with one call.
/// @dev Warning: anyone can flag a member below the minimum balance and, `lapseGrace` later, lapse
/// them if still below it; nobody can flag or lapse a funded member. A lapse is a forced exit notice:
/// the member stays counted, and paying, until every claim submitted before it is final and paid.
/// @dev Warning: no role can stop a member from requesting exit, leaving, or withdrawing their balance.
interface IMemberRegistry {
    /// @notice Lifecycle of a membership. `Waiting` and `Active` are counted and pay shares, and sit on
    /// juries once seasoned; `Exiting` (asked to leave) and `Lapsing` (lapsed for an unfunded
    /// balance) are counted and pay until every claim submitted before their notice is final and
    /// paid, and never sit on a jury; `Exited` and `Lapsed` have left the count. Either may join again.
    enum MemberStatus {
        None,
        Waiting,
        Active,
        Exiting,
        Lapsing,
        Lapsed,
        Exited
    }

    /// @notice An EIP-712 attestation by the pool's identity verifier that `commitment` is a real,
    /// unique person, for the member's wallet. Empty when the pool has no verifier.
    struct Attestation {
        uint256 deadline;
        bytes signature;
    }

    /// @notice An ERC-2612 permit for the deposit, so that a join takes one transaction.
    struct Permit {
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice What a block explorer's read tab shows of a member.
    struct MemberView {
        MemberStatus status;
        uint256 eligibleAt; // end of the waiting period: may claim from then, sits on juries of claims after it
        uint256 credit; // deposits minus withdrawals and juror penalties, since the last join
        uint256 charged; // shares charged since the last join (frozen when the member leaves the count)
        int256 balance; // credit - charged (negative only if keepers failed to lapse in time)
        uint256 exitClaimBound; // while Exiting or Lapsing: claims with a lower id must be final and paid first
        uint256 lapsableAt; // while flagged: when the member may be lapsed if still below the minimum; else 0
        uint256 position; // the member's position in the juror set (meaningful while Waiting or Active)
    }

    // ------------------------------------------------------------------ errors

    /// @notice The amount is zero.
    error MemberZeroAmount();
    /// @notice The first deposit is below the pool's minimum deposit.
    error MemberDepositTooLow(uint256 amount, uint256 minDeposit);
    /// @notice The identity commitment is zero.
    error MemberZeroCommitment();
    /// @notice This wallet holds a membership of this pool (counted, or leaving).
    error MemberAlreadyJoined(address member);
    /// @notice A wallet returning to the pool must join with the commitment it first joined with.
    error MemberCommitmentMismatch(address member, bytes32 commitment);
    /// @notice This identity commitment was already used in this pool.
    error MemberCommitmentUsed(bytes32 commitment);
    /// @notice The verifier's attestation is past its deadline.
    error MemberAttestationExpired(uint256 deadline, uint256 nowTime);
    /// @notice The attestation is not the verifier's signature over this member and commitment.
    error MemberAttestationInvalid(address member, bytes32 commitment);
    /// @notice The permit failed and the pool has no allowance for the deposit.
    error MemberPermitFailed(address member, uint256 allowance, uint256 needed);
    /// @notice The member is not in a status that allows this action.
    error UnexpectedMemberStatus(address member, MemberStatus current);
    /// @notice The withdrawal would take the balance below what the member must keep.
    error MemberInsufficientBalance(address member, int256 balance, uint256 needed);
    /// @notice The member holds at least the minimum balance and cannot be flagged or lapsed.
    error MemberFunded(address member, int256 balance, uint256 minBalance);
    /// @notice The member is already flagged.
    error MemberAlreadyFlagged(address member, uint256 lapsableAt);
    /// @notice The member was not flagged, or the grace since the flag has not run out.
    error MemberGraceNotOver(address member, uint256 lapsableAt);
    /// @notice A withdrawal to the zero address or to the pool itself.
    error MemberInvalidRecipient(address to);
    /// @notice The exit cannot complete before every claim with an id below `claimBound` is final and paid.
    error MemberExitNotReady(address member, uint256 claimBound);

    // ------------------------------------------------------------------ events

    /// @notice A member joined, or returned after leaving (their remaining balance stays theirs);
    /// they are counted from now, and charged from `chargeIndex` on.
    event MemberJoined(
        address indexed member,
        bytes32 indexed commitment,
        uint256 deposit,
        uint256 chargeIndex,
        uint256 eligibleAt,
        uint256 memberCount
    );
    /// @notice A member added to their balance.
    event MemberToppedUp(address indexed member, uint256 amount);
    /// @notice A member asked to leave; they stay counted until claims below `claimBound` are final and paid.
    event MemberExitRequested(address indexed member, uint256 claimBound);
    /// @notice A member below the minimum balance was flagged; they may be lapsed from `lapsableAt`
    /// unless they top up to the minimum first.
    event MemberFlagged(address indexed member, int256 balance, uint256 lapsableAt);
    /// @notice A flagged member topped up to the minimum balance.
    event MemberFlagCleared(address indexed member);
    /// @notice A flagged member was lapsed: a forced exit notice. They stay counted, and paying,
    /// until claims below `claimBound` are final and paid.
    event MemberLapsing(address indexed member, int256 balance, uint256 claimBound);
    /// @notice A member left the count, as `Exited` or `Lapsed`. `charged` is final; a negative
    /// balance became `shortfall`, carried as a deficit to the next period.
    event MemberLeft(
        address indexed member,
        MemberStatus indexed status,
        uint256 charged,
        uint256 balance,
        uint256 shortfall,
        uint256 memberCount
    );
    /// @notice A member took `amount` of their balance.
    event MemberWithdrew(address indexed member, uint256 amount);
    /// @notice A member sent `amount` of their balance to another address they named.
    event MemberWithdrewTo(address indexed member, address indexed to, uint256 amount);

    // ------------------------------------------------------------------ functions

    /// @notice Joins the pool with a first deposit of `amount` and an identity commitment, or returns
    /// to it after leaving (with the same commitment, a new deposit and a new waiting period).
    /// @dev The caller must have approved `amount`. The member is counted at once and shares the
    /// claims settled from now on; they may claim after the waiting period.
    /// @param amount First deposit, at least the minimum deposit.
    /// @param commitment `identityCommitment(identity, salt)` =
    /// `keccak256(abi.encode(string identity, bytes32 salt))`; each commitment belongs to one wallet.
    /// @param attestation The verifier's signature; empty when the pool has no verifier.
    function join(uint256 amount, bytes32 commitment, Attestation calldata attestation) external;

    /// @notice Joins in one transaction, with an ERC-2612 permit for the deposit.
    function joinWithPermit(
        uint256 amount,
        bytes32 commitment,
        Attestation calldata attestation,
        Permit calldata permit
    ) external;

    /// @notice Adds `amount` to the caller's balance (a top-up). Counted members only.
    /// @dev Named addToMemberFunds, not topUp, for its selector (see commitDecision): topUp(uint256)
    /// (0x50017f3e) was the 23rd of 77 (about 500 gas to reach); addToMemberFunds (0x0038c427) is the first.
    /// The SDK action and the CLI command keep the name topUp; the event stays MemberToppedUp.
    function addToMemberFunds(uint256 amount) external;

    /// @notice Asks to leave. The member stays counted, and pays, until every claim submitted
    /// before now is final and paid; then `completeExit` takes them out of the count. They leave
    /// the juror set at once.
    function requestExit() external;

    /// @notice Takes an exiting or lapsing member out of the count once their notice is served
    /// (as `Exited` or `Lapsed`). Anyone may call.
    function completeExit(address member) external;

    /// @notice Withdraws `amount` of the caller's balance. A counted member keeps the minimum
    /// balance; an exited or lapsed member may take everything.
    function withdraw(uint256 amount) external;

    /// @notice Withdraws `amount` of the caller's balance to `to` (another wallet, a hospital):
    /// the same rules as `withdraw`. Only the member decides where their balance goes.
    function withdrawTo(uint256 amount, address to) external;

    /// @notice Flags a counted, not leaving member below the minimum balance. Anyone may call.
    function flag(address member) external;

    /// @notice Lapses a flagged member still below the minimum balance `lapseGrace` after the flag:
    /// they leave the juror set and serve an exit notice. Anyone may call.
    function lapse(address member) external;

    /// @notice Flags every listed member that can be flagged, lapses every one that can be lapsed,
    /// and skips the others.
    function lapseBatch(address[] calldata members) external returns (uint256 flagged, uint256 lapsed);

    /// @notice Number of counted members (Waiting, Active, Exiting and Lapsing): the N that shares are divided by.
    function memberCount() external view returns (uint256);

    /// @notice Positions of the juror set, holes included: every counted member not leaving
    /// (seasoned or not) holds one, and a member who gave notice leaves a hole that the next join fills.
    function jurorCount() external view returns (uint256);

    /// @notice The account at `position` of the juror set (zero past its end). At a hole, the member
    /// who left it: a position is live when that member is Waiting or Active and `member().position`
    /// is that position.
    function jurorAt(uint256 position) external view returns (address);

    /// @notice Holes of the juror set waiting for a join.
    function jurorHoles() external view returns (uint256);

    /// @notice A member's record, charges and balance.
    function member(address account) external view returns (MemberView memory);

    /// @notice A member's status now.
    function statusOf(address account) external view returns (MemberStatus);

    /// @notice A member's balance now: credit minus charges.
    function balanceOf(address account) external view returns (int256);

    /// @notice The wallet that joined with `commitment`, or zero.
    function commitmentOwner(bytes32 commitment) external view returns (address);

    /// @notice The identity commitment of `identity` under `salt`:
    /// `keccak256(abi.encode(string identity, bytes32 salt))`.
    function identityCommitment(string calldata identity, bytes32 salt) external pure returns (bytes32);

    /// @notice The EIP-712 digest the verifier signs for an attestation.
    function attestationDigest(address account, bytes32 commitment, uint256 deadline) external view returns (bytes32);
}
