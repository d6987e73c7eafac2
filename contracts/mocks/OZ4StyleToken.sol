// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// The real token reverts with these exact strings: the SDK is tested against them.
/* solhint-disable gas-custom-errors, reason-string */

/// @notice Test token that behaves like an OpenZeppelin Contracts 4.x `ERC20Pausable`: reverts with
/// `Error(string)` ("ERC20: insufficient allowance", "ERC20: transfer amount exceeds balance",
/// "ERC20Pausable: token transfer while paused") in 4.x's order: the allowance is spent BEFORE the
/// pause is checked, so a paused token with no allowance says "insufficient allowance". Anyone may
/// mint or pause (a test token).
contract OZ4StyleToken {
    string public constant name = "OZ4 USD";
    string public constant symbol = "OZ4USD";
    uint8 public constant decimals = 6;

    uint256 public totalSupply;
    bool public paused;
    mapping(address account => uint256) public balanceOf;
    mapping(address owner => mapping(address spender => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Paused(address account);
    event Unpaused(address account);

    function pause() external {
        require(!paused, "Pausable: paused");
        paused = true;
        emit Paused(msg.sender);
    }

    function unpause() external {
        require(paused, "Pausable: not paused");
        paused = false;
        emit Unpaused(msg.sender);
    }

    function mint(address to, uint256 amount) external {
        require(to != address(0), "ERC20: mint to the zero address");
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        require(spender != address(0), "ERC20: approve to the zero address");
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 current = allowance[from][msg.sender];
        if (current != type(uint256).max) {
            require(current >= amount, "ERC20: insufficient allowance");
            allowance[from][msg.sender] = current - amount;
        }
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) private {
        require(from != address(0), "ERC20: transfer from the zero address");
        require(to != address(0), "ERC20: transfer to the zero address");
        require(!paused, "ERC20Pausable: token transfer while paused");
        require(balanceOf[from] >= amount, "ERC20: transfer amount exceeds balance");
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
