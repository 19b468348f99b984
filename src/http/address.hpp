// Client addresses: parsing, the network a rate limit counts under, and which proxies are
// trusted to say who the client is (X-Forwarded-For). No Beast here: plain inet_pton.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vg::http {

// An IPv4 or IPv6 address; IPv4 (and IPv4-mapped IPv6, "::ffff:192.0.2.1") is held as
// IPv4 in the last four bytes, with v4 set.
struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};
    bool v4 = false;
};

// "192.0.2.1", "2001:db8::1", "[2001:db8::1]"; nullopt for anything else.
std::optional<IpAddress> parse_ip(std::string_view text);
std::string to_string(const IpAddress& ip);

// What rate limits count under: an IPv4 address itself, the /64 network of an IPv6 address
// (one subscriber usually gets a whole /64). Text that is not an address is its own key.
std::string network_key(const std::string& ip);

struct Cidr {
    IpAddress network;
    int prefix = 0;  // 0-32 for IPv4, 0-128 for IPv6
    bool contains(const IpAddress& ip) const;
};

// "10.0.0.0/8", "2001:db8::/32", or a bare address (/32 or /128). Throws
// std::invalid_argument with a message naming the entry when it is not valid, including
// when bits are set beyond the prefix ("10.0.0.1/8").
Cidr parse_cidr(std::string_view text);

// The proxies whose X-Forwarded-For is believed. Empty (the default): none, the peer of the
// connection is the client.
class TrustedProxies {
  public:
    TrustedProxies() = default;
    // Comma- or space-separated CIDR list; throws std::invalid_argument (see parse_cidr).
    static TrustedProxies parse(const std::string& list);

    bool empty() const { return ranges_.empty(); }
    bool trusts(const IpAddress& ip) const;
    // The client's address: the peer itself unless it is a trusted proxy; then, walking
    // X-Forwarded-For (all headers joined by commas, in order) from the right, the first
    // address that is not a trusted proxy. An entry that is not an address stops the walk
    // at the last address that was checked; when every entry is trusted, the left-most one.
    std::string client(const std::string& peer, const std::string& forwarded_for) const;

  private:
    std::vector<Cidr> ranges_;
};

}  // namespace vg::http
