// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IMemberRegistry
/// @notice Who is in the pool. A member is one wallet bound to one identity commitment,
/// `keccak256(abi.encode(string identity, bytes32 salt))` (standard ABI encoding, not packed;
/// the SDK's `identityCommitment`): no personal data goes on chain. The member count, every join
/// and every exit live here, so nobody can inflate or deflate the count that the share is divided by.
/// @dev Warning: the identity verifier can sign attestations only; it can never add or remove a member.
/// @dev Warning: anyone can lapse a member below the minimum balance, and nobody can lapse a funded one.
/// @dev Warning: no role can stop a member from requesting exit, leaving, or withdrawing their balance.
/// @dev Warning: the token's issuer, outside the pool, can: blacklisting the pool's address or a
/// member's, or pausing the token, makes joins, top-ups and withdrawals revert while it lasts.
/// Settlement moves no tokens and goes on charging meanwhile, so a member who cannot top up may fall
/// below the minimum balance and be lapsed; every balance stays owed and can be withdrawn once the
/// issuer lifts the freeze.
interface IMemberRegistry {
    /// @notice Lifecycle of a membership. `Waiting` and `Active` are counted and pay shares; so is
    /// `Exiting`, until every claim submitted before the exit request is settled or rejected.
    enum MemberStatus {
        None,
        Waiting,
        Active,
        Exiting,
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
        uint256 eligibleAt; // end of the waiting period: may claim from then, may vote on claims submitted after it
        uint256 credit; // deposits minus withdrawals
        uint256 charged; // shares charged so far (frozen when the member leaves the count)
        int256 balance; // credit - charged (negative only if keepers failed to lapse in time)
        uint256 exitClaimBound; // while Exiting: claims with a lower id must be settled or rejected first
    }

    // ------------------------------------------------------------------ errors

    /// @notice The amount is zero.
    error MemberZeroAmount();
    /// @notice The first deposit is below the pool's minimum deposit.
    error MemberDepositTooLow(uint256 amount, uint256 minDeposit);
    /// @notice The identity commitment is zero.
    error MemberZeroCommitment();
    /// @notice This wallet already holds (or held) a membership of this pool.
    error MemberAlreadyJoined(address member);
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
    /// @notice The member holds at least the minimum balance and cannot be lapsed.
    error MemberFunded(address member, int256 balance, uint256 minBalance);
    /// @notice The exit cannot complete before every claim with an id below `claimBound` is settled or rejected.
    error MemberExitNotReady(address member, uint256 claimBound);

    // ------------------------------------------------------------------ events

    /// @notice A member joined; they are counted from now, and charged from `chargeIndex` on.
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
    /// @notice A member asked to leave; they stay counted until claims below `claimBound` are done.
    event MemberExitRequested(address indexed member, uint256 claimBound);
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

    // ------------------------------------------------------------------ functions

    /// @notice Joins the pool with a first deposit of `amount` and an identity commitment.
    /// @dev The caller must have approved `amount`. The member is counted at once and shares the
    /// claims settled from now on; they may claim after the waiting period.
    /// @param amount First deposit, at least the minimum deposit.
    /// @param commitment `keccak256(abi.encode(string identity, bytes32 salt))`; each commitment joins once.
    /// @param attestation The verifier's signature; empty when the pool has no verifier.
    function join(uint256 amount, bytes32 commitment, Attestation calldata attestation) external;

    /// @notice Joins in one transaction, with an ERC-2612 permit for the deposit.
    function joinWithPermit(
        uint256 amount,
        bytes32 commitment,
        Attestation calldata attestation,
        Permit calldata permit
    ) external;

    /// @notice Adds `amount` to the caller's balance. Counted members only.
    function topUp(uint256 amount) external;

    /// @notice Asks to leave. The member stays counted, and pays, until every claim submitted
    /// before now is settled or rejected; then `completeExit` takes them out of the count.
    function requestExit() external;

    /// @notice Takes an exiting member out of the count once their notice is served. Anyone may call.
    function completeExit(address member) external;

    /// @notice Withdraws `amount` of the caller's balance. A counted member keeps the minimum
    /// balance; an exited or lapsed member may take everything.
    function withdraw(uint256 amount) external;

    /// @notice Takes a member below the minimum balance out of the count. Anyone may call.
    function lapse(address member) external;

    /// @notice Lapses every listed member below the minimum balance and skips the others.
    /// @return lapsed How many were lapsed.
    function lapseBatch(address[] calldata members) external returns (uint256 lapsed);

    /// @notice Number of counted members (Waiting, Active and Exiting): the N that shares are divided by.
    function memberCount() external view returns (uint256);

    /// @notice A member's record, charges and balance.
    function member(address account) external view returns (MemberView memory);

    /// @notice A member's status now.
    function statusOf(address account) external view returns (MemberStatus);

    /// @notice A member's balance now: credit minus charges.
    function balanceOf(address account) external view returns (int256);

    /// @notice The wallet that joined with `commitment`, or zero.
    function commitmentOwner(bytes32 commitment) external view returns (address);

    /// @notice The EIP-712 digest the verifier signs for an attestation.
    function attestationDigest(address account, bytes32 commitment, uint256 deadline) external view returns (bytes32);
}
