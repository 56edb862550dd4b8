// SPDX-License-Identifier: Apache-2.0
// Test fixture for the MPP Java SDK: a v1 ("legacy") Tempo session escrow implementing exactly the
// ABI that npm mppx ships as dist/tempo/session/escrow.abi.js (0.6.31) and
// dist/tempo/legacy/session/escrow.abi.js (0.11.0). Written from that ABI and the behaviour in
// draft-tempo-session-00; deployed on the local anvil by server.mjs. Not audited; never deploy it
// anywhere that holds real money.
//
// Build: node contracts/compile-escrow.mjs   (solc 0.8.30 via npm solc; writes TempoStreamChannel.json)
pragma solidity 0.8.30;

/// The two TIP-20 functions the escrow uses (TIP-20 tokens are ERC-20 compatible).
interface ITip20 {
    function transfer(address to, uint256 amount) external returns (bool);

    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// Unidirectional payment channels: the payer escrows a deposit, signs cumulative EIP-712
/// vouchers off chain, and the payee settles or closes with the latest one. The payer can force a
/// close after a grace period if the payee disappears.
contract TempoStreamChannel {
    struct Channel {
        bool finalized;
        uint64 closeRequestedAt;
        address payer;
        address payee;
        address token;
        address authorizedSigner;
        uint128 deposit;
        uint128 settled;
    }

    bytes32 public constant VOUCHER_TYPEHASH =
        keccak256("Voucher(bytes32 channelId,uint128 cumulativeAmount)");

    uint64 public constant CLOSE_GRACE_PERIOD = 15 minutes;

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("Tempo Stream Channel");
    bytes32 private constant VERSION_HASH = keccak256("1");

    /// secp256k1 order / 2: signatures with a higher s are malleable copies and are refused.
    uint256 private constant HALF_ORDER =
        0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    mapping(bytes32 => Channel) public channels;

    event ChannelOpened(
        bytes32 indexed channelId,
        address indexed payer,
        address indexed payee,
        address token,
        address authorizedSigner,
        bytes32 salt,
        uint256 deposit
    );
    event Settled(
        bytes32 indexed channelId,
        address indexed payer,
        address indexed payee,
        uint256 cumulativeAmount,
        uint256 deltaPaid,
        uint256 newSettled
    );
    event CloseRequested(
        bytes32 indexed channelId, address indexed payer, address indexed payee, uint256 closeGraceEnd
    );
    event CloseRequestCancelled(bytes32 indexed channelId, address indexed payer, address indexed payee);
    event TopUp(
        bytes32 indexed channelId,
        address indexed payer,
        address indexed payee,
        uint256 additionalDeposit,
        uint256 newDeposit
    );
    event ChannelClosed(
        bytes32 indexed channelId,
        address indexed payer,
        address indexed payee,
        uint256 settledToPayee,
        uint256 refundedToPayer
    );
    event ChannelExpired(bytes32 indexed channelId, address indexed payer, address indexed payee);

    error AmountExceedsDeposit();
    error AmountNotIncreasing();
    error ChannelAlreadyExists();
    error ChannelFinalized();
    error ChannelNotFound();
    error CloseNotReady();
    error DepositOverflow();
    error InvalidPayee();
    error InvalidSignature();
    error NotPayee();
    error NotPayer();
    error TransferFailed();

    // ------------------------------------------------------------------------------------------
    // Payer side
    // ------------------------------------------------------------------------------------------

    /// Opens a channel funded with `deposit` of `token` (pulled with transferFrom: approve first).
    function open(address payee, address token, uint128 deposit, bytes32 salt, address authorizedSigner)
        external
        returns (bytes32 channelId)
    {
        if (payee == address(0)) revert InvalidPayee();
        channelId = computeChannelId(msg.sender, payee, token, salt, authorizedSigner);
        Channel storage channel = channels[channelId];
        if (channel.payer != address(0)) revert ChannelAlreadyExists();
        channel.payer = msg.sender;
        channel.payee = payee;
        channel.token = token;
        channel.authorizedSigner = authorizedSigner;
        channel.deposit = deposit;
        if (!ITip20(token).transferFrom(msg.sender, address(this), deposit)) revert TransferFailed();
        emit ChannelOpened(channelId, msg.sender, payee, token, authorizedSigner, salt, deposit);
    }

    /// Adds `additionalDeposit` to an open channel; cancels a pending close request.
    function topUp(bytes32 channelId, uint256 additionalDeposit) external {
        Channel storage channel = _existing(channelId);
        if (msg.sender != channel.payer) revert NotPayer();
        if (channel.finalized) revert ChannelFinalized();
        if (additionalDeposit > type(uint128).max - channel.deposit) revert DepositOverflow();
        channel.deposit += uint128(additionalDeposit);
        if (channel.closeRequestedAt != 0) {
            channel.closeRequestedAt = 0;
            emit CloseRequestCancelled(channelId, channel.payer, channel.payee);
        }
        if (additionalDeposit > 0) {
            if (!ITip20(channel.token).transferFrom(msg.sender, address(this), additionalDeposit)) {
                revert TransferFailed();
            }
        }
        emit TopUp(channelId, channel.payer, channel.payee, additionalDeposit, channel.deposit);
    }

    /// Starts the grace period after which the payer may withdraw without the payee.
    function requestClose(bytes32 channelId) external {
        Channel storage channel = _existing(channelId);
        if (msg.sender != channel.payer) revert NotPayer();
        if (channel.finalized) revert ChannelFinalized();
        if (channel.closeRequestedAt == 0) {
            channel.closeRequestedAt = uint64(block.timestamp);
            emit CloseRequested(channelId, channel.payer, channel.payee, block.timestamp + CLOSE_GRACE_PERIOD);
        }
    }

    /// Refunds everything not yet settled once the grace period has passed.
    function withdraw(bytes32 channelId) external {
        Channel storage channel = _existing(channelId);
        if (msg.sender != channel.payer) revert NotPayer();
        if (channel.finalized) revert ChannelFinalized();
        if (channel.closeRequestedAt == 0 || block.timestamp < uint256(channel.closeRequestedAt) + CLOSE_GRACE_PERIOD) {
            revert CloseNotReady();
        }
        uint128 refund = channel.deposit - channel.settled;
        channel.finalized = true;
        if (refund > 0 && !ITip20(channel.token).transfer(channel.payer, refund)) revert TransferFailed();
        emit ChannelExpired(channelId, channel.payer, channel.payee);
        emit ChannelClosed(channelId, channel.payer, channel.payee, channel.settled, refund);
    }

    // ------------------------------------------------------------------------------------------
    // Payee side
    // ------------------------------------------------------------------------------------------

    /// Pays out the difference between a voucher and what was settled before; the channel stays open.
    function settle(bytes32 channelId, uint128 cumulativeAmount, bytes calldata signature) external {
        Channel storage channel = _existing(channelId);
        if (msg.sender != channel.payee) revert NotPayee();
        if (channel.finalized) revert ChannelFinalized();
        if (cumulativeAmount > channel.deposit) revert AmountExceedsDeposit();
        if (cumulativeAmount <= channel.settled) revert AmountNotIncreasing();
        _requireVoucherSigner(channel, channelId, cumulativeAmount, signature);
        uint128 delta = cumulativeAmount - channel.settled;
        channel.settled = cumulativeAmount;
        if (!ITip20(channel.token).transfer(channel.payee, delta)) revert TransferFailed();
        emit Settled(channelId, channel.payer, channel.payee, cumulativeAmount, delta, cumulativeAmount);
    }

    /// Settles a final voucher (if it raises the settled amount), refunds the rest, and finalizes.
    function close(bytes32 channelId, uint128 cumulativeAmount, bytes calldata signature) external {
        Channel storage channel = _existing(channelId);
        if (msg.sender != channel.payee) revert NotPayee();
        if (channel.finalized) revert ChannelFinalized();
        uint128 delta = 0;
        if (cumulativeAmount > channel.settled) {
            if (cumulativeAmount > channel.deposit) revert AmountExceedsDeposit();
            _requireVoucherSigner(channel, channelId, cumulativeAmount, signature);
            delta = cumulativeAmount - channel.settled;
            channel.settled = cumulativeAmount;
        }
        uint128 refund = channel.deposit - channel.settled;
        channel.finalized = true;
        if (delta > 0 && !ITip20(channel.token).transfer(channel.payee, delta)) revert TransferFailed();
        if (refund > 0 && !ITip20(channel.token).transfer(channel.payer, refund)) revert TransferFailed();
        emit ChannelClosed(channelId, channel.payer, channel.payee, channel.settled, refund);
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    function getChannel(bytes32 channelId) external view returns (Channel memory) {
        return channels[channelId];
    }

    function getChannelsBatch(bytes32[] calldata channelIds)
        external
        view
        returns (Channel[] memory channelStates)
    {
        channelStates = new Channel[](channelIds.length);
        for (uint256 i = 0; i < channelIds.length; ++i) {
            channelStates[i] = channels[channelIds[i]];
        }
    }

    function computeChannelId(address payer, address payee, address token, bytes32 salt, address authorizedSigner)
        public
        view
        returns (bytes32)
    {
        return keccak256(abi.encode(payer, payee, token, salt, authorizedSigner, address(this), block.chainid));
    }

    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    function getVoucherDigest(bytes32 channelId, uint128 cumulativeAmount) public view returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(VOUCHER_TYPEHASH, channelId, cumulativeAmount));
        return keccak256(abi.encodePacked(hex"1901", domainSeparator(), structHash));
    }

    /// EIP-5267: name, version, chainId and verifyingContract are set (fields = 0x0f).
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", "Tempo Stream Channel", "1", block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    // ------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------

    function _existing(bytes32 channelId) private view returns (Channel storage channel) {
        channel = channels[channelId];
        if (channel.payer == address(0)) revert ChannelNotFound();
    }

    function _requireVoucherSigner(
        Channel storage channel,
        bytes32 channelId,
        uint128 cumulativeAmount,
        bytes calldata signature
    ) private view {
        address expected = channel.authorizedSigner != address(0) ? channel.authorizedSigner : channel.payer;
        address signer = _recover(getVoucherDigest(channelId, cumulativeAmount), signature);
        if (signer == address(0) || signer != expected) revert InvalidSignature();
    }

    /// Recovers a 65-byte (r, s, v) or 64-byte EIP-2098 (r, yParityAndS) signature; returns zero for
    /// anything malformed or malleable (high s).
    function _recover(bytes32 digest, bytes calldata signature) private pure returns (address) {
        bytes32 r;
        bytes32 s;
        uint8 v;
        if (signature.length == 65) {
            r = bytes32(signature[0:32]);
            s = bytes32(signature[32:64]);
            v = uint8(signature[64]);
            if (v < 27) v += 27;
        } else if (signature.length == 64) {
            r = bytes32(signature[0:32]);
            bytes32 vs = bytes32(signature[32:64]);
            s = vs & bytes32(0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff);
            v = uint8(uint256(vs) >> 255) + 27;
        } else {
            return address(0);
        }
        if (uint256(s) > HALF_ORDER || (v != 27 && v != 28)) return address(0);
        return ecrecover(digest, v, r, s);
    }
}
