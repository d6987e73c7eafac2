// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IMemberRecovery} from "./interfaces/IMemberRecovery.sol";
import {Recovery} from "./libraries/Recovery.sol";
import {MemberRecord} from "./types/Records.sol";
import {CostSharingPool} from "./CostSharingPool.sol";

/// @title MemberRecovery
/// @notice Beneficiaries, and moving a membership from a lost wallet to a new one after a delay
/// that the member can cut short with one call. The work runs in the linked `Recovery` library;
/// nothing here is on the join, top-up or vote paths.
abstract contract MemberRecovery is CostSharingPool, IMemberRecovery {
    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    Recovery.Book private _book;

    /*//////////////////////////////////////////////////////////////
                             MEMBER ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMemberRecovery
    function setBeneficiary(address beneficiary) external {
        (mapping(address => MemberRecord) storage members, ) = _memberStore();
        Recovery.setBeneficiary(_book, members, beneficiary);
    }

    /// @inheritdoc IMemberRecovery
    function setRecoveryOptions(address recoveryAddress, bool verifierRecoveryOff) external {
        (mapping(address => MemberRecord) storage members, ) = _memberStore();
        Recovery.setOptions(_book, members, recoveryAddress, verifierRecoveryOff);
    }

    /*//////////////////////////////////////////////////////////////
                                RECOVERY
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMemberRecovery
    function requestRecovery(
        bytes32 commitment,
        address newWallet,
        uint256 deadline,
        bytes calldata signature
    ) external {
        (mapping(address => MemberRecord) storage members, ) = _memberStore();
        (mapping(bytes32 => address) storage owners, , ) = _recoveryStore();
        Recovery.request(
            _book,
            members,
            owners,
            commitment,
            newWallet,
            _roles.verifier,
            _domainSeparatorV4(),
            deadline,
            signature
        );
    }

    /// @inheritdoc IMemberRecovery
    function cancelRecovery(address member) external {
        Recovery.cancel(_book, member);
    }

    /// @inheritdoc IMemberRecovery
    function completeRecovery(bytes32 commitment) external {
        (
            mapping(address => MemberRecord) storage members,
            mapping(uint256 => address) storage jurorSet
        ) = _memberStore();
        (
            mapping(bytes32 => address) storage owners,
            mapping(address => uint256) storage exitBounds,
            mapping(address => uint256) storage lapsableAt
        ) = _recoveryStore();
        Recovery.complete(
            _book,
            members,
            jurorSet,
            owners,
            exitBounds,
            lapsableAt,
            _yearPayoutStore(),
            _openClaimStore(),
            commitment,
            _roles.verifier
        );
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMemberRecovery
    function recoveryOf(address member) external view returns (RecoveryView memory) {
        return Recovery.view_(_book, member);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev The payee a member's claims default to (zero: the member).
    function _beneficiaryOf(address member) internal view override returns (address) {
        return Recovery.beneficiaryOf(_book, member);
    }
}
