// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IMemberRecovery
/// @notice For members who cannot act for themselves. A member may name a beneficiary, to whom
/// their claims pay unless a claim names another payee (a hospital, a family member). A member
/// whose wallet is lost moves the whole membership (status, seasoning, balance, flag, exit notice,
/// yearly payout count, place in the juror set, these settings) to a new wallet: the pool's
/// identity verifier attests the member's identity commitment for the new wallet, or the member's
/// own pre-registered recovery address names it; 30 days later (the delay) anyone completes
/// it, unless the member's wallet (or its recovery address) cancelled it with one call meanwhile.
/// A member may opt out of recovery by the verifier.
/// @dev Warning: a verifier (or a recovery address) can never move a membership whose wallet
/// watches it: `cancelRecovery` stops it, at any time before completion.
/// @dev Warning: nothing can move a membership faster than the 30-day delay, a constant of the code
/// (`Recovery.DELAY`; each request's `readyAt` is in its event).
/// @dev Warning: a verifier's pending recovery dies with its role: once the operator's timelocked
/// change removes or replaces the verifier, or the member opts out, it can no longer complete.
/// @dev Warning: a recovery never touches a payout already owed: payouts credited to an account stay
/// that account's (`payoutOf`), a claim's payee is fixed at submission, and a recovery cannot complete
/// while the member has a claim open (under vote, or approved and not yet paid).
/// @dev Warning: a payee or beneficiary can never act as the member: it can only withdraw the
/// payouts credited to it.
/// @dev Warning: what a hostile verifier can still do: start a recovery of any member who has not
/// opted out, which completes if nobody cancels it within 30 days (a member who never looks at the
/// pool for 30 days, and has no recovery address that looks either, loses the membership and its
/// balance to the verifier's wallet, never a payout already owed); and repeat after each cancel.
/// A member who opts out (`setRecoveryOptions`) is out of its reach.
/// @dev Seats a member holds on juries stay with the wallet they were drawn for: the new wallet
/// is not seated on them (one vote per seat); a seat the lost wallet leaves unrevealed costs nothing
/// (its record moved). From the completion on, the new wallet is drawn in the member's place.
interface IMemberRecovery {
    /// @notice A member's recovery settings and pending recovery (a view: never stored, so not packed).
    // solhint-disable-next-line gas-struct-packing
    struct RecoveryView {
        address beneficiary; // pays the member's claims unless a claim names another payee; 0 = the member
        address recoveryAddress; // may name a new wallet for the member, without the verifier; 0 = none
        bool verifierRecoveryOff; // the member opted out of recovery by the verifier
        address newWallet; // a pending recovery's new wallet, or zero
        uint256 readyAt; // when the pending recovery may be completed; 0 = none pending
        bool byVerifier; // the pending recovery was attested by the verifier (else by the recovery address)
        uint256 nonce; // signed in the verifier's next attestation; used up by its request; settings changes move it
    }

    // ------------------------------------------------------------------ errors

    /// @notice No member joined with this identity commitment.
    error RecoveryUnknownCommitment(bytes32 commitment);
    /// @notice The new wallet is zero, the pool, or holds (or held) a membership of this pool.
    error RecoveryInvalidWallet(address newWallet);
    /// @notice The caller is neither the member's recovery address nor, in a pool with a verifier,
    /// presenting the verifier's attestation; or may not cancel this recovery.
    error RecoveryNotAuthorized(address caller);
    /// @notice The member opted out of recovery by the verifier.
    error RecoveryVerifierOptedOut(address member);
    /// @notice The verifier that attested this recovery is no longer the pool's verifier (the role was
    /// removed or handed to another account since): its recovery cannot complete; cancel it.
    error RecoveryVerifierChanged(address member);
    /// @notice The attestation is not the verifier's signature for this member, new wallet, commitment
    /// and the member's current recovery nonce (`recoveryOf(member).nonce`): forged, misdirected, or
    /// replayed (the request it started used its nonce up), or signed before a change of the member's
    /// recovery settings.
    error RecoveryAttestationInvalid(address member, address newWallet);
    /// @notice A recovery of this member is already pending; it must complete or be cancelled first.
    error RecoveryAlreadyPending(address member, address newWallet, uint256 readyAt);
    /// @notice No recovery of this member is pending.
    error RecoveryNotPending(address member);
    /// @notice The recovery delay has not run out.
    error RecoveryNotReady(address member, uint256 readyAt);
    /// @notice The member has a claim open; a recovery completes once it is paid or closed.
    error RecoveryClaimOpen(address member, uint256 claimId);
    /// @notice A beneficiary or payee cannot be the pool itself.
    error RecoveryInvalidBeneficiary(address beneficiary);

    // ------------------------------------------------------------------ events

    /// @notice A member named (or, with zero, removed) their beneficiary.
    event BeneficiarySet(address indexed member, address indexed beneficiary);
    /// @notice A member set their recovery address (zero = none) and whether the verifier may recover them.
    event RecoveryOptionsSet(address indexed member, address indexed recoveryAddress, bool verifierRecoveryOff);
    /// @notice A recovery of `member`'s membership to `newWallet` started; it may complete from `readyAt`.
    event RecoveryRequested(
        address indexed member,
        address indexed newWallet,
        bytes32 indexed commitment,
        bool byVerifier,
        uint256 readyAt
    );
    /// @notice A pending recovery was cancelled by `by` (the member, or its recovery address).
    event RecoveryCancelled(address indexed member, address indexed newWallet, address by);
    /// @notice The membership of `member` moved to `newWallet`, with everything in it.
    event RecoveryCompleted(
        address indexed member,
        address indexed newWallet,
        bytes32 indexed commitment,
        bool byVerifier
    );

    // ------------------------------------------------------------------ functions

    /// @notice Names the caller's beneficiary (zero removes it): their claims pay it unless a claim
    /// names another payee. Members only (any status).
    function setBeneficiary(address beneficiary) external;

    /// @notice Sets the caller's recovery address (zero = none), which may name a new wallet for
    /// them without the verifier, and whether the verifier may recover them. Members only.
    function setRecoveryOptions(address recoveryAddress, bool verifierRecoveryOff) external;

    /// @notice Starts moving the membership of the member who joined with `commitment` to
    /// `newWallet`. Called by the member's recovery address (the attestation is ignored), or by
    /// anyone with the verifier's EIP-712 attestation
    /// `Recovery(address member,address newWallet,bytes32 commitment,uint256 nonce,uint256 deadline)`
    /// with the member's current `recoveryOf(member).nonce` (unless the member opted out). It may
    /// complete 30 days later. Each attestation starts at most one recovery: the request uses the
    /// nonce up (so a cancel or a completion leaves the attestation spent), and so does a change of the
    /// member's recovery settings.
    function requestRecovery(
        bytes32 commitment,
        address newWallet,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Cancels a pending recovery of `member`. Only the member's wallet or its recovery address.
    function cancelRecovery(address member) external;

    /// @notice Completes the pending recovery of the member who joined with `commitment`, once the
    /// delay is over and the member has no open claim. Anyone may call.
    function completeRecovery(bytes32 commitment) external;

    /// @notice A member's beneficiary, recovery settings and pending recovery.
    function recoveryOf(address member) external view returns (RecoveryView memory);
}
