// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ICustodialEscrow} from "./interfaces/ICustodialEscrow.sol";
import {PoolConfig} from "./PoolConfig.sol";
import {RuleArgs} from "./libraries/RuleArgs.sol";

/// @title CustodialEscrow
/// @notice Holds the pool's tokens. `_collect` and `_release` are the only places in the suite
/// that move tokens: in exactly the amount asked (a short-changing token is refused), and out only
/// through a member's withdrawal, a pulled payout or refunded bond, and the operator's capped fee.
abstract contract CustodialEscrow is PoolConfig, ICustodialEscrow {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    mapping(address account => uint256 amount) private _payouts;
    uint256 private _fees;

    /// @dev The reentrancy lock, set for the length of every `nonReentrant` call. It does what
    /// OpenZeppelin's ReentrancyGuardTransient does, with the same error, but in a transient state
    /// variable (transient slot 0; the pool keeps nothing else in transient storage) rather than at
    /// an ERC-7201 slot: the optimizer loads that 32-byte constant with a CODECOPY at every use,
    /// about 100 gas a call.
    uint256 private transient _entered;

    /// @dev The same error as OpenZeppelin's ReentrancyGuardTransient.
    error ReentrancyGuardReentrantCall();

    modifier nonReentrant() {
        _lock();
        _;
        _entered = 0;
    }

    /*//////////////////////////////////////////////////////////////
                              WITHDRAWALS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICustodialEscrow
    function withdrawPayout() external nonReentrant {
        uint256 amount = _payouts[msg.sender];
        if (amount == 0) revert EscrowNothingToWithdraw(msg.sender);
        delete _payouts[msg.sender];
        emit PayoutWithdrawn(msg.sender, amount);
        _release(msg.sender, amount);
    }

    /// @inheritdoc ICustodialEscrow
    function withdrawFees() external nonReentrant onlyRole(_roles.operator) {
        uint256 amount = _fees;
        if (amount == 0) revert EscrowNothingToWithdraw(msg.sender);
        _fees = 0;
        emit FeesWithdrawn(msg.sender, amount);
        _release(msg.sender, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICustodialEscrow
    function payoutOf(address account) external view returns (uint256) {
        return _payouts[account];
    }

    /// @inheritdoc ICustodialEscrow
    function feesAccrued() external view returns (uint256) {
        return _fees;
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev The payouts owed, for the jury library to credit refunded bonds.
    function _payoutStore() internal view returns (mapping(address => uint256) storage) {
        return _payouts;
    }

    function _creditPayout(address account, uint256 amount) internal {
        _payouts[account] += amount;
    }

    function _accrueFee(uint256 amount) internal {
        _fees += amount;
    }

    /// @inheritdoc PoolConfig
    function _settleOperatorFees(address outgoing) internal override {
        uint256 amount = _fees;
        if (amount == 0) return;
        _fees = 0;
        _payouts[outgoing] += amount;
        emit FeesCredited(outgoing, amount);
    }

    function _lock() private {
        if (_entered != 0) revert ReentrancyGuardReentrantCall();
        _entered = 1;
    }

    /// @dev Pulls exactly `amount` from `from`; a token that delivers less (fee on transfer,
    /// rebasing) or more is refused, so that balances always match tokens held.
    function _collect(address from, uint256 amount) internal {
        IERC20 asset = RuleArgs.asset();
        uint256 before = _held(asset);
        asset.safeTransferFrom(from, address(this), amount);
        uint256 balance = _held(asset);
        if (balance != before + amount) {
            revert EscrowTransferMismatch(amount, balance > before ? balance - before : 0);
        }
    }

    /// @dev `asset.balanceOf(address(this))` without the ABI encoder's memory round trip (about 150 gas
    /// a call less), with the same failure behaviour as the high-level call: a reverting token's
    /// revert data is passed on, and a reply shorter than a word reverts without data.
    function _held(IERC20 asset) private view returns (uint256 held) {
        assembly ("memory-safe") {
            mstore(0x00, 0x70a08231) // balanceOf(address)
            mstore(0x20, address())
            // Yul evaluates right to left: the call runs before returndatasize is read.
            if iszero(and(gt(returndatasize(), 0x1f), staticcall(gas(), asset, 0x1c, 0x24, 0x00, 0x20))) {
                let fmp := mload(0x40)
                returndatacopy(fmp, 0x00, returndatasize())
                revert(fmp, returndatasize())
            }
            held := mload(0x00)
        }
    }

    /// @dev The only outflow. Callers update their accounting and emit before calling it.
    function _release(address to, uint256 amount) internal {
        RuleArgs.asset().safeTransfer(to, amount);
    }
}
