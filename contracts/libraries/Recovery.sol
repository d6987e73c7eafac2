// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {IMemberRecovery} from "../interfaces/IMemberRecovery.sol";
import {MemberRecord} from "../types/Records.sol";
import {RecoveryTrail} from "./RecoveryTrail.sol";

/// @title Recovery
/// @notice Beneficiaries and the recovery of a lost wallet. Its external functions run in the pool's
/// storage (a linked library, called by DELEGATECALL), which keeps this cold code out of the pool's
/// EIP-170 budget: the pool passes its own records in.
library Recovery {
    /// @notice The least time between a recovery's request and its completion.
    uint256 internal constant DELAY = 30 days;
    /// @dev The EIP-712 type the verifier signs for a recovery.
    bytes32 private constant _RECOVERY_TYPEHASH = keccak256(
        "Recovery(address member,address newWallet,bytes32 commitment,uint256 nonce,uint256 deadline)"
    );

    /// @dev A member's settings: two slots, read only on cold paths (a claim reads the beneficiary).
    /// `nonce` is signed in the verifier's attestation and used up by the request it starts (the
    /// requester pays for it, not the member who cancels), so that an attestation starts at most one
    /// recovery; a change of these settings moves it on too, voiding attestations not used yet. It
    /// moves with the membership: an attestation for a wallet the membership returns to stays void.
    struct Options {
        address beneficiary;
        address recoveryAddress;
        bool verifierRecoveryOff;
        uint64 nonce;
    }

    /// @dev A pending recovery, one slot. `verifierTag`: the low 40 bits of the verifier that attested
    /// it, so that a verifier replaced meanwhile (a timelocked role change) cannot complete it.
    struct Pending {
        address newWallet;
        uint40 readyAt;
        bool byVerifier;
        uint40 verifierTag;
    }

    /// @dev Every member's settings and pending recovery, one storage struct behind one pointer.
    struct Book {
        mapping(address member => Options) options;
        mapping(address member => Pending) pending;
    }

    /*//////////////////////////////////////////////////////////////
                                SETTINGS
    //////////////////////////////////////////////////////////////*/

    /// @notice Names the caller's beneficiary (zero removes it).
    function setBeneficiary(
        Book storage book,
        mapping(address => MemberRecord) storage members,
        address beneficiary
    ) external {
        _checkMember(members);
        if (beneficiary == address(this)) revert IMemberRecovery.RecoveryInvalidBeneficiary(beneficiary);
        book.options[msg.sender].beneficiary = beneficiary;
        emit IMemberRecovery.BeneficiarySet(msg.sender, beneficiary);
    }

    /// @notice Sets the caller's recovery address and verifier opt-out.
    function setOptions(
        Book storage book,
        mapping(address => MemberRecord) storage members,
        address recoveryAddress,
        bool verifierRecoveryOff
    ) external {
        _checkMember(members);
        Options storage o = book.options[msg.sender];
        // The nonce shares the slot: changing the settings voids the verifier's unused attestations.
        (o.recoveryAddress, o.verifierRecoveryOff, o.nonce) = (recoveryAddress, verifierRecoveryOff, o.nonce + 1);
        emit IMemberRecovery.RecoveryOptionsSet(msg.sender, recoveryAddress, verifierRecoveryOff);
    }

    function _checkMember(mapping(address => MemberRecord) storage members) private view {
        IMemberRegistry.MemberStatus status = members[msg.sender].status;
        if (status == IMemberRegistry.MemberStatus.None) {
            revert IMemberRegistry.UnexpectedMemberStatus(msg.sender, status);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                RECOVERY
    //////////////////////////////////////////////////////////////*/

    /// @notice Starts a recovery of the member who joined with `commitment` to `newWallet`: by the
    /// member's recovery address, or with the verifier's attestation. `domainSeparator` is the pool's.
    function request(
        Book storage book,
        mapping(address => MemberRecord) storage members,
        mapping(bytes32 => address) storage commitmentOwners,
        bytes32 commitment,
        address newWallet,
        address verifier,
        bytes32 domainSeparator,
        uint256 deadline,
        bytes calldata signature
    ) external {
        address member = commitmentOwners[commitment];
        if (member == address(0)) revert IMemberRecovery.RecoveryUnknownCommitment(commitment);
        _checkWallet(members, newWallet);
        Pending storage p = book.pending[member];
        if (p.readyAt != 0) revert IMemberRecovery.RecoveryAlreadyPending(member, p.newWallet, p.readyAt);
        Options storage o = book.options[member];
        address recoveryAddress = o.recoveryAddress;
        bool byVerifier = recoveryAddress == address(0) || msg.sender != recoveryAddress;
        if (byVerifier) {
            if (verifier == address(0)) revert IMemberRecovery.RecoveryNotAuthorized(msg.sender);
            if (o.verifierRecoveryOff) revert IMemberRecovery.RecoveryVerifierOptedOut(member);
            if (block.timestamp > deadline) revert IMemberRegistry.MemberAttestationExpired(deadline, block.timestamp);
            bytes32 digest = MessageHashUtils.toTypedDataHash(
                domainSeparator,
                keccak256(abi.encode(_RECOVERY_TYPEHASH, member, newWallet, commitment, o.nonce, deadline))
            );
            if (!SignatureChecker.isValidSignatureNow(verifier, digest, signature)) {
                revert IMemberRecovery.RecoveryAttestationInvalid(member, newWallet);
            }
            ++o.nonce;
        }
        uint256 readyAt = block.timestamp + DELAY;
        // Fits: a timestamp.
        book.pending[member] = Pending({
            newWallet: newWallet,
            readyAt: uint40(readyAt),
            byVerifier: byVerifier,
            verifierTag: byVerifier ? _tag(verifier) : 0
        });
        emit IMemberRecovery.RecoveryRequested(member, newWallet, commitment, byVerifier, readyAt);
    }

    /// @notice Cancels the pending recovery of `member`: the member's wallet or its recovery address.
    function cancel(Book storage book, address member) external {
        Pending storage p = book.pending[member];
        if (p.readyAt == 0) revert IMemberRecovery.RecoveryNotPending(member);
        if (msg.sender != member && msg.sender != book.options[member].recoveryAddress) {
            revert IMemberRecovery.RecoveryNotAuthorized(msg.sender);
        }
        emit IMemberRecovery.RecoveryCancelled(member, p.newWallet, msg.sender);
        delete book.pending[member];
    }

    /// @notice Moves the membership of the member who joined with `commitment` to the pending
    /// recovery's new wallet, once the delay is over and the member has no open claim. The member's
    /// place in the juror set is kept (the new wallet takes the same position: nobody moves, so a
    /// recovery cannot re-draw a jury); payouts already credited stay where they are. Seats drawn for
    /// the old wallet stay its seats, but their penalties follow the membership, and the new wallet is
    /// not drawn again on those claims (`RecoveryTrail`).
    function complete(
        Book storage book,
        mapping(address => MemberRecord) storage members,
        mapping(uint256 => address) storage jurorSet,
        mapping(bytes32 => address) storage commitmentOwners,
        mapping(address => uint256) storage exitBounds,
        mapping(address => uint256) storage lapsableAt,
        mapping(address => uint256) storage yearPayouts,
        mapping(address => uint256) storage openClaims,
        bytes32 commitment,
        address verifier
    ) external {
        address member = commitmentOwners[commitment];
        Pending memory p = book.pending[member];
        if (member == address(0) || p.readyAt == 0) revert IMemberRecovery.RecoveryNotPending(member);
        if (block.timestamp < p.readyAt) revert IMemberRecovery.RecoveryNotReady(member, p.readyAt);
        uint256 open = openClaims[member];
        if (open != 0) revert IMemberRecovery.RecoveryClaimOpen(member, open);
        Options memory o = book.options[member];
        // The member may opt out, or the verifier role may go or change, while a verifier's recovery waits.
        if (p.byVerifier) {
            if (o.verifierRecoveryOff) revert IMemberRecovery.RecoveryVerifierOptedOut(member);
            if (verifier == address(0) || _tag(verifier) != p.verifierTag) {
                revert IMemberRecovery.RecoveryVerifierChanged(member);
            }
        }
        address newWallet = p.newWallet;
        _checkWallet(members, newWallet);

        MemberRecord memory m = members[member];
        // Seats drawn for the old wallet follow the membership (see RecoveryTrail).
        m.position |= RecoveryTrail.MOVED;
        members[newWallet] = m;
        delete members[member];
        if (m.status == IMemberRegistry.MemberStatus.Waiting)
            jurorSet[RecoveryTrail.positionOf(m.position)] = newWallet;
        RecoveryTrail.record(member, newWallet);
        commitmentOwners[commitment] = newWallet;
        _move(exitBounds, member, newWallet);
        _move(lapsableAt, member, newWallet);
        _move(yearPayouts, member, newWallet);
        book.options[newWallet] = o;
        delete book.options[member];
        delete book.pending[member];
        emit IMemberRecovery.RecoveryCompleted(member, newWallet, commitment, p.byVerifier);
    }

    function _checkWallet(mapping(address => MemberRecord) storage members, address newWallet) private view {
        if (
            newWallet == address(0) ||
            newWallet == address(this) ||
            members[newWallet].status != IMemberRegistry.MemberStatus.None
        ) revert IMemberRecovery.RecoveryInvalidWallet(newWallet);
    }

    function _tag(address verifier) private pure returns (uint40) {
        return uint40(uint160(verifier));
    }

    function _move(mapping(address => uint256) storage map, address from, address to) private {
        uint256 value = map[from];
        if (value == 0) return;
        map[to] = value;
        delete map[from];
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The payee a member's claims default to (zero: the member). Internal: read on the claim path.
    function beneficiaryOf(Book storage book, address member) internal view returns (address) {
        return book.options[member].beneficiary;
    }

    /// @notice A member's settings and pending recovery.
    function view_(Book storage book, address member) external view returns (IMemberRecovery.RecoveryView memory v) {
        Options storage o = book.options[member];
        Pending storage p = book.pending[member];
        v.beneficiary = o.beneficiary;
        v.recoveryAddress = o.recoveryAddress;
        v.verifierRecoveryOff = o.verifierRecoveryOff;
        v.nonce = o.nonce;
        v.newWallet = p.newWallet;
        v.readyAt = p.readyAt;
        v.byVerifier = p.byVerifier;
    }
}
