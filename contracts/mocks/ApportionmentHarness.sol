// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Apportionment} from "../libraries/Apportionment.sol";

/// @notice Exposes the pure apportionment library to tests.
contract ApportionmentHarness {
    function cappedPayout(uint256 amount, uint256 capPerMember, uint256 members) external pure returns (uint256) {
        return Apportionment.cappedPayout(amount, capPerMember, members);
    }

    function feeOn(uint256 payouts, uint256 feeBps) external pure returns (uint256) {
        return Apportionment.feeOn(payouts, feeBps);
    }

    function apportion(
        uint256[] memory payouts,
        uint256[] memory feesBps,
        Apportionment.Input memory input
    ) external pure returns (uint256[] memory paid, Apportionment.Result memory result) {
        (result, paid) = Apportionment.apportion(payouts, feesBps, input);
    }
}
