// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IMemberRegistry} from "./interfaces/IMemberRegistry.sol";
import {MemberRecord} from "./types/Records.sol";
import {RecoveryTrail} from "./libraries/RecoveryTrail.sol";
import {CustodialEscrow} from "./CustodialEscrow.sol";
import {RuleArgs} from "./libraries/RuleArgs.sol";

/// @title MemberRegistry
/// @notice Members, their deposits, the member count and the juror set. A member's charges are
/// `chargeIndex - chargeIndexAtJoin`, read in O(1): joining, leaving and lapsing never loop. The
/// juror set (position -> account) holds every counted member not leaving, so that a jury is drawn
/// in O(seats). A member who gives notice leaves a hole where they were, which the next join fills:
/// nobody else moves, so leaving after a round's seed is known cannot change whom it seats (a
/// swap-and-pop would move the last member into the drawn position: a free re-draw).
abstract contract MemberRegistry is CustodialEscrow, EIP712, IMemberRegistry {
    using SafeCast for uint256;

    /// @dev The counted statuses as a bit set (see `_isCounted`).
    uint256 private constant _COUNTED =
        (1 << uint8(MemberStatus.Waiting)) | (1 << uint8(MemberStatus.Exiting)) | (1 << uint8(MemberStatus.Lapsing));

    bytes32 private constant _ATTESTATION_TYPEHASH = keccak256(
        "Attestation(address member,bytes32 commitment,uint256 deadline)"
    );

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    mapping(address account => MemberRecord) private _members;
    mapping(bytes32 commitment => address account) private _commitmentOwners;
    mapping(address account => uint256 claimBound) private _exitBounds;
    mapping(address account => uint256 time) private _lapsableAt;
    mapping(uint256 position => address account) private _jurorSet;
    mapping(uint256 index => uint256 position) private _holes;

    constructor() EIP712("Huzhu Pool", "1") {}

    /*//////////////////////////////////////////////////////////////
                             MEMBER ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMemberRegistry
    function join(
        uint256 amount,
        bytes32 commitment,
        Attestation calldata attestation
    ) external nonReentrant whenNotPaused {
        _join(amount, commitment, attestation);
    }

    /// @inheritdoc IMemberRegistry
    function joinWithPermit(
        uint256 amount,
        bytes32 commitment,
        Attestation calldata attestation,
        Permit calldata permit
    ) external nonReentrant whenNotPaused {
        IERC20 asset = RuleArgs.asset();
        // A permit seen in the mempool can be submitted by someone else first; the join still
        // goes through when the allowance is there.
        try
            IERC20Permit(address(asset)).permit(
                msg.sender,
                address(this),
                amount,
                permit.deadline,
                permit.v,
                permit.r,
                permit.s
            )
        // solhint-disable-next-line no-empty-blocks
        {} catch {
            uint256 allowance = asset.allowance(msg.sender, address(this));
            if (allowance < amount) revert MemberPermitFailed(msg.sender, allowance, amount);
        }
        _join(amount, commitment, attestation);
    }

    /// @inheritdoc IMemberRegistry
    function addToMemberFunds(uint256 amount) external nonReentrant {
        if (amount == 0) revert MemberZeroAmount();
        MemberRecord storage m = _members[msg.sender];
        // Read with the status (one SLOAD): after the credit's write it would be read again.
        bool flagged = m.flagged;
        if (!_isCounted(m.status)) revert UnexpectedMemberStatus(msg.sender, _statusOf(m));
        uint256 credit;
        unchecked {
            // Wraps only for an amount above 2^256 - 2^88, which the check below refuses by itself.
            credit = uint256(m.credit) + amount;
        }
        // SafeCast's error for the amount, else for the sum, in one comparison on the way through.
        if ((amount | credit) > type(uint88).max) {
            revert SafeCast.SafeCastOverflowedUintDowncast(88, amount > type(uint88).max ? amount : credit);
        }
        m.credit = uint88(credit);
        emit MemberToppedUp(msg.sender, amount);
        if (flagged && _balanceOf(m) >= int256(RuleArgs.word(RuleArgs.MIN_BALANCE))) {
            m.flagged = false;
            delete _lapsableAt[msg.sender];
            emit MemberFlagCleared(msg.sender);
        }
        _collect(msg.sender, amount);
    }

    /// @inheritdoc IMemberRegistry
    function requestExit() external {
        MemberRecord storage m = _members[msg.sender];
        if (m.status != MemberStatus.Waiting) revert UnexpectedMemberStatus(msg.sender, _statusOf(m));
        uint256 bound = _startNotice(msg.sender, m, MemberStatus.Exiting);
        emit MemberExitRequested(msg.sender, bound);
    }

    /// @inheritdoc IMemberRegistry
    function completeExit(address account) external {
        MemberRecord storage m = _members[account];
        MemberStatus status = m.status;
        if (status != MemberStatus.Exiting && status != MemberStatus.Lapsing) {
            revert UnexpectedMemberStatus(account, _statusOf(m));
        }
        uint256 bound = _exitBounds[account];
        if (!_claimsDoneBelow(bound)) revert MemberExitNotReady(account, bound);
        delete _exitBounds[account];
        _leave(account, m, status == MemberStatus.Exiting ? MemberStatus.Exited : MemberStatus.Lapsed);
    }

    /// @inheritdoc IMemberRegistry
    function withdraw(uint256 amount) external nonReentrant {
        _withdraw(amount, msg.sender);
    }

    /// @inheritdoc IMemberRegistry
    function withdrawTo(uint256 amount, address to) external nonReentrant {
        if (to == address(0) || to == address(this)) revert MemberInvalidRecipient(to);
        _withdraw(amount, to);
    }

    /// @inheritdoc IMemberRegistry
    function flag(address account) external {
        MemberRecord storage m = _members[account];
        if (m.status != MemberStatus.Waiting) revert UnexpectedMemberStatus(account, _statusOf(m));
        if (m.flagged) revert MemberAlreadyFlagged(account, _lapsableAt[account]);
        int256 balance = _balanceOf(m);
        uint256 minBalance = RuleArgs.word(RuleArgs.MIN_BALANCE);
        if (balance >= int256(minBalance)) revert MemberFunded(account, balance, minBalance);
        _flag(account, m, balance);
    }

    /// @inheritdoc IMemberRegistry
    function lapse(address account) external {
        MemberRecord storage m = _members[account];
        if (m.status != MemberStatus.Waiting) revert UnexpectedMemberStatus(account, _statusOf(m));
        int256 balance = _balanceOf(m);
        uint256 minBalance = RuleArgs.word(RuleArgs.MIN_BALANCE);
        if (balance >= int256(minBalance)) revert MemberFunded(account, balance, minBalance);
        uint256 lapsableAt = _lapsableAt[account];
        if (!m.flagged || block.timestamp < lapsableAt) revert MemberGraceNotOver(account, lapsableAt);
        _lapse(account, m, balance);
    }

    /// @inheritdoc IMemberRegistry
    function lapseBatch(address[] calldata accounts) external returns (uint256 flagged, uint256 lapsed) {
        int256 minBalance = int256(RuleArgs.word(RuleArgs.MIN_BALANCE));
        for (uint256 i; i < accounts.length; ++i) {
            address account = accounts[i];
            MemberRecord storage m = _members[account];
            if (m.status != MemberStatus.Waiting) continue;
            int256 balance = _balanceOf(m);
            if (balance >= minBalance) continue;
            if (!m.flagged) {
                _flag(account, m, balance);
                ++flagged;
            } else if (block.timestamp >= _lapsableAt[account]) {
                _lapse(account, m, balance);
                ++lapsed;
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMemberRegistry
    function memberCount() external view returns (uint256) {
        return _memberCount;
    }

    /// @inheritdoc IMemberRegistry
    function jurorCount() external view returns (uint256) {
        return _jurorCount;
    }

    /// @inheritdoc IMemberRegistry
    function jurorAt(uint256 position) external view returns (address) {
        return _jurorSet[position];
    }

    /// @inheritdoc IMemberRegistry
    function jurorHoles() external view returns (uint256) {
        return _jurorHoles;
    }

    /// @inheritdoc IMemberRegistry
    function member(address account) external view returns (MemberView memory) {
        MemberRecord storage m = _members[account];
        return
            MemberView({
                status: _statusOf(m),
                eligibleAt: m.eligibleAt,
                credit: m.credit,
                charged: _chargedOf(m),
                balance: _balanceOf(m),
                exitClaimBound: _exitBounds[account],
                lapsableAt: _lapsableAt[account],
                position: RecoveryTrail.positionOf(m.position)
            });
    }

    /// @inheritdoc IMemberRegistry
    function statusOf(address account) external view returns (MemberStatus) {
        return _statusOf(_members[account]);
    }

    /// @inheritdoc IMemberRegistry
    function balanceOf(address account) external view returns (int256) {
        return _balanceOf(_members[account]);
    }

    /// @inheritdoc IMemberRegistry
    function commitmentOwner(bytes32 commitment) external view returns (address) {
        return _commitmentOwners[commitment];
    }

    /// @inheritdoc IMemberRegistry
    function identityCommitment(string calldata identity, bytes32 salt) external pure returns (bytes32) {
        return keccak256(abi.encode(identity, salt));
    }

    /// @inheritdoc IMemberRegistry
    function attestationDigest(address account, bytes32 commitment, uint256 deadline) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(_ATTESTATION_TYPEHASH, account, commitment, deadline)));
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _join(uint256 amount, bytes32 commitment, Attestation calldata attestation) private {
        uint256 minDeposit = RuleArgs.word(RuleArgs.MIN_DEPOSIT);
        if (amount < minDeposit) revert MemberDepositTooLow(amount, minDeposit);
        if (commitment == bytes32(0)) revert MemberZeroCommitment();
        MemberRecord storage m = _members[msg.sender];
        MemberStatus status = m.status;
        address owner = _commitmentOwners[commitment];
        uint256 carried;
        if (status == MemberStatus.None) {
            if (owner != address(0)) revert MemberCommitmentUsed(commitment);
            _commitmentOwners[commitment] = msg.sender;
        } else if (status == MemberStatus.Exited || status == MemberStatus.Lapsed) {
            // A return: the same person, under a new waiting period, keeps what is left of the balance.
            if (owner != msg.sender) revert MemberCommitmentMismatch(msg.sender, commitment);
            carried = uint256(m.credit) - m.chargeMark;
        } else {
            revert MemberAlreadyJoined(msg.sender);
        }
        address verifier = _roles.verifier;
        if (verifier != address(0)) _checkAttestation(verifier, commitment, attestation);

        uint88 index = _chargeIndex;
        uint256 eligibleAt = block.timestamp + RuleArgs.word(RuleArgs.WAITING_PERIOD);
        uint256 position = _takePosition();
        _members[msg.sender] = MemberRecord({
            status: MemberStatus.Waiting,
            flagged: false,
            eligibleAt: eligibleAt.toUint32(),
            position: uint32(position), // Fits: below the member count, a uint32.
            credit: (carried + amount).toUint88(),
            chargeMark: index
        });
        _jurorSet[position] = msg.sender;
        uint256 count = ++_memberCount;
        emit MemberJoined(msg.sender, commitment, amount, index, eligibleAt, count);
        _collect(msg.sender, amount);
    }

    function _checkAttestation(address verifier, bytes32 commitment, Attestation calldata attestation) private view {
        if (block.timestamp > attestation.deadline) {
            revert MemberAttestationExpired(attestation.deadline, block.timestamp);
        }
        bytes32 digest = attestationDigest(msg.sender, commitment, attestation.deadline);
        if (!SignatureChecker.isValidSignatureNow(verifier, digest, attestation.signature)) {
            revert MemberAttestationInvalid(msg.sender, commitment);
        }
    }

    /// @dev Sends `amount` of the caller's balance to `to`.
    function _withdraw(uint256 amount, address to) private {
        if (amount == 0) revert MemberZeroAmount();
        MemberRecord storage m = _members[msg.sender];
        MemberStatus status = m.status;
        if (status == MemberStatus.None) revert UnexpectedMemberStatus(msg.sender, status);
        // A counted member keeps the minimum balance, so that the next share is always paid.
        uint256 keep = _isCounted(status) ? RuleArgs.word(RuleArgs.MIN_BALANCE) : 0;
        // Saturates instead of overflowing: no balance reaches it anyway.
        uint256 needed = amount > type(uint256).max - keep ? type(uint256).max : amount + keep;
        int256 balance = _balanceOf(m);
        if (balance < 0 || uint256(balance) < needed) revert MemberInsufficientBalance(msg.sender, balance, needed);
        // Cannot underflow: credit >= balance >= amount.
        unchecked {
            m.credit -= uint88(amount);
        }
        if (to == msg.sender) emit MemberWithdrew(msg.sender, amount);
        else emit MemberWithdrewTo(msg.sender, to, amount);
        _release(to, amount);
    }

    function _flag(address account, MemberRecord storage m, int256 balance) private {
        m.flagged = true;
        uint256 lapsableAt = block.timestamp + RuleArgs.word(RuleArgs.LAPSE_GRACE);
        _lapsableAt[account] = lapsableAt;
        emit MemberFlagged(account, balance, lapsableAt);
    }

    function _lapse(address account, MemberRecord storage m, int256 balance) private {
        uint256 bound = _startNotice(account, m, MemberStatus.Lapsing);
        emit MemberLapsing(account, balance, bound);
    }

    /// @dev Starts an exit notice: the member leaves the juror set, any flag ends, and they stay
    /// counted until every claim submitted before now is final and paid.
    function _startNotice(
        address account,
        MemberRecord storage m,
        MemberStatus status
    ) private returns (uint256 bound) {
        if (m.flagged) {
            m.flagged = false;
            delete _lapsableAt[account];
        }
        _removeJuror(RecoveryTrail.positionOf(m.position));
        m.status = status;
        bound = _nextClaimId();
        _exitBounds[account] = bound;
    }

    /// @dev A position for a joining member: the last hole, else a new one at the end. A hole is
    /// only ever refilled by a member who joins now, unseasoned for every claim already submitted.
    function _takePosition() private returns (uint256 position) {
        uint256 holes = _jurorHoles;
        if (holes == 0) {
            position = _jurorCount;
            _jurorCount = uint32(position + 1);
        } else {
            position = _holes[--holes];
            delete _holes[holes];
            _jurorHoles = uint32(holes);
        }
    }

    /// @dev Leaves a hole at `position`; the leaver's address stays there (the draw checks the
    /// record) until a join fills it.
    function _removeJuror(uint256 position) private {
        uint256 holes = _jurorHoles;
        _holes[holes] = position;
        _jurorHoles = uint32(holes + 1);
    }

    /// @dev Takes a member out of the count and freezes their charges. A negative balance (keepers
    /// were late) is written off to zero and carried in the open as a deficit of the next period.
    function _leave(address account, MemberRecord storage m, MemberStatus status) private {
        uint256 credit = m.credit;
        uint256 charged = _chargeIndex - m.chargeMark;
        uint256 shortfall;
        if (charged > credit) {
            // Cannot underflow: checked just above.
            unchecked {
                shortfall = charged - credit;
            }
            charged = credit;
            _carryLoss(shortfall);
        }
        m.status = status;
        // Fits: charged <= credit, a uint88.
        m.chargeMark = uint88(charged);
        uint256 count = --_memberCount;
        emit MemberLeft(account, status, charged, credit - charged, shortfall, count);
    }

    /// @dev The records a recovery reads or moves, for the recovery library.
    function _recoveryStore()
        internal
        view
        returns (
            mapping(bytes32 => address) storage commitmentOwners,
            mapping(address => uint256) storage exitBounds,
            mapping(address => uint256) storage lapsableAt
        )
    {
        commitmentOwners = _commitmentOwners;
        exitBounds = _exitBounds;
        lapsableAt = _lapsableAt;
    }

    /// @dev The member records and the juror set, for the jury library.
    function _memberStore()
        internal
        view
        returns (mapping(address => MemberRecord) storage members, mapping(uint256 => address) storage jurorSet)
    {
        members = _members;
        jurorSet = _jurorSet;
    }

    /// @dev Waiting, Exiting or Lapsing: one bit test instead of three comparisons.
    function _isCounted(MemberStatus status) internal pure returns (bool) {
        return (_COUNTED >> uint8(status)) & 1 != 0;
    }

    function _statusOf(MemberRecord memory m) internal view returns (MemberStatus) {
        if (m.status == MemberStatus.Waiting && block.timestamp >= m.eligibleAt) return MemberStatus.Active;
        return m.status;
    }

    function _chargedOf(MemberRecord memory m) internal view returns (uint256) {
        return _isCounted(m.status) ? _chargeIndex - m.chargeMark : m.chargeMark;
    }

    function _balanceOf(MemberRecord memory m) internal view returns (int256) {
        // Both fit in int256: they are at most 88 bits wide.
        return int256(uint256(m.credit)) - int256(_chargedOf(m));
    }

    /// @dev The id the next claim will get: a member whose notice starts now is bound to every claim below it.
    function _nextClaimId() internal view virtual returns (uint256);

    /// @dev Whether every claim with an id below `bound` is final and, if approved, paid.
    function _claimsDoneBelow(uint256 bound) internal view virtual returns (bool);
}
