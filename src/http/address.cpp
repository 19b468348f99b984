#include "http/address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace vg::http {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool is_v4_mapped(const std::array<std::uint8_t, 16>& b) {
    for (int i = 0; i < 10; ++i)
        if (b[i] != 0) return false;
    return b[10] == 0xff && b[11] == 0xff;
}

// An X-Forwarded-For entry: an address, maybe with a port ("192.0.2.1:4711",
// "[2001:db8::1]:4711"), as some proxies write it.
std::optional<IpAddress> parse_forwarded_entry(std::string_view s) {
    s = trim(s);
    if (auto ip = parse_ip(s)) return ip;
    if (!s.empty() && s.front() == '[') {
        auto close = s.find(']');
        if (close != std::string_view::npos) return parse_ip(s.substr(0, close + 1));
        return std::nullopt;
    }
    auto colon = s.find(':');
    if (colon != std::string_view::npos && s.find(':', colon + 1) == std::string_view::npos) {
        auto ip = parse_ip(s.substr(0, colon));
        if (ip && ip->v4) return ip;
    }
    return std::nullopt;
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
        text = text.substr(1, text.size() - 2);
    if (text.empty() || text.size() > 45) return std::nullopt;
    char buf[46];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = 0;
    IpAddress ip;
    if (text.find(':') == std::string_view::npos) {
        if (inet_pton(AF_INET, buf, ip.bytes.data() + 12) != 1) return std::nullopt;
        ip.bytes[10] = ip.bytes[11] = 0xff;
        ip.v4 = true;
        return ip;
    }
    if (inet_pton(AF_INET6, buf, ip.bytes.data()) != 1) return std::nullopt;
    ip.v4 = is_v4_mapped(ip.bytes);
    return ip;
}

std::string to_string(const IpAddress& ip) {
    char buf[INET6_ADDRSTRLEN];
    if (ip.v4) return inet_ntop(AF_INET, ip.bytes.data() + 12, buf, sizeof buf);
    return inet_ntop(AF_INET6, ip.bytes.data(), buf, sizeof buf);
}

std::string network_key(const std::string& text) {
    auto ip = parse_ip(text);
    if (!ip) return text;
    if (ip->v4) return to_string(*ip);
    IpAddress net = *ip;
    std::fill(net.bytes.begin() + 8, net.bytes.end(), 0);
    return to_string(net) + "/64";
}

bool Cidr::contains(const IpAddress& ip) const {
    if (ip.v4 != network.v4) return false;
    int bits = network.v4 ? prefix + 96 : prefix;
    int whole = bits / 8;
    if (std::memcmp(ip.bytes.data(), network.bytes.data(), whole) != 0) return false;
    if (bits % 8 == 0) return true;
    std::uint8_t mask = std::uint8_t(0xff << (8 - bits % 8));
    return (ip.bytes[whole] & mask) == (network.bytes[whole] & mask);
}

Cidr parse_cidr(std::string_view text) {
    auto bad = [&](const std::string& why) {
        return std::invalid_argument("'" + std::string(text) + "' " + why);
    };
    auto slash = text.find('/');
    auto ip = parse_ip(text.substr(0, slash));
    if (!ip) throw bad("is not an IPv4 or IPv6 address or network");
    Cidr c{*ip, ip->v4 ? 32 : 128};
    if (slash != std::string_view::npos) {
        auto digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3 ||
            digits.find_first_not_of("0123456789") != std::string_view::npos)
            throw bad("has no valid prefix length after '/'");
        int prefix = std::stoi(std::string(digits));
        if (prefix > c.prefix)
            throw bad("has a prefix longer than " + std::to_string(c.prefix) + " bits");
        c.prefix = prefix;
    }
    // Bits set beyond the prefix are most likely a typing mistake: say so.
    Cidr net = c;
    int bits = c.network.v4 ? c.prefix + 96 : c.prefix;
    for (int i = 0; i < 16; ++i) {
        int keep = std::clamp(bits - i * 8, 0, 8);
        net.network.bytes[i] &= std::uint8_t(keep == 0 ? 0 : 0xff << (8 - keep));
    }
    if (c.network.v4) net.network.bytes[10] = net.network.bytes[11] = 0xff;
    if (net.network.bytes != c.network.bytes)
        throw bad("has bits set beyond /" + std::to_string(c.prefix) + " (did you mean " +
                  to_string(net.network) + "/" + std::to_string(c.prefix) + "?)");
    return c;
}

TrustedProxies TrustedProxies::parse(const std::string& list) {
    TrustedProxies out;
    std::string_view rest = list;
    while (!rest.empty()) {
        auto end = rest.find_first_of(", \t");
        auto item = rest.substr(0, end);
        if (!item.empty()) out.ranges_.push_back(parse_cidr(item));
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end + 1);
    }
    return out;
}

bool TrustedProxies::trusts(const IpAddress& ip) const {
    for (auto& r : ranges_)
        if (r.contains(ip)) return true;
    return false;
}

std::string TrustedProxies::client(const std::string& peer,
                                   const std::string& forwarded_for) const {
    auto peer_ip = parse_ip(peer);
    if (!peer_ip) return peer;
    if (!trusts(*peer_ip)) return to_string(*peer_ip);
    IpAddress last = *peer_ip;
    std::string_view rest = forwarded_for;
    while (true) {
        auto comma = rest.rfind(',');
        auto item = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
        if (!trim(item).empty()) {
            auto ip = parse_forwarded_entry(item);
            if (!ip) break;
            if (!trusts(*ip)) return to_string(*ip);
            last = *ip;
        }
        if (comma == std::string_view::npos) break;
        rest = rest.substr(0, comma);
    }
    return to_string(last);
}

}  // namespace vg::http
