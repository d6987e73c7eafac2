// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Test token that gives no reason when it refuses a transfer: in `Revert` mode it reverts
/// with empty data, in `ReturnFalse` mode it returns `false` (as some early tokens do). It refuses for
/// a short allowance, a short balance, a blacklisted sender or receiver (`isBlacklisted`) and while
/// paused (`paused`): only its views can tell these apart. Anyone may mint, blacklist or pause.
contract SilentToken {
    enum Mode {
        Revert,
        ReturnFalse
    }

    string public constant name = "Silent USD";
    string public constant symbol = "SUSD";
    uint8 public constant decimals = 6;
    Mode public immutable mode;

    uint256 public totalSupply;
    bool public paused;
    mapping(address account => uint256) public balanceOf;
    mapping(address owner => mapping(address spender => uint256)) public allowance;
    mapping(address account => bool) public isBlacklisted;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(Mode mode_) {
        mode = mode_;
    }

    function setPaused(bool value) external {
        paused = value;
    }

    function setBlacklisted(address account, bool value) external {
        isBlacklisted[account] = value;
    }

    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        if (!_canMove(msg.sender, to, amount)) return _refuse();
        _move(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        if (allowance[from][msg.sender] < amount || !_canMove(from, to, amount)) return _refuse();
        allowance[from][msg.sender] -= amount;
        _move(from, to, amount);
        return true;
    }

    function _canMove(address from, address to, uint256 amount) private view returns (bool) {
        return !paused && !isBlacklisted[from] && !isBlacklisted[to] && balanceOf[from] >= amount;
    }

    function _refuse() private view returns (bool) {
        if (mode == Mode.Revert) {
            // solhint-disable-next-line no-inline-assembly
            assembly {
                revert(0, 0)
            }
        }
        return false;
    }

    function _move(address from, address to, uint256 amount) private {
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
