#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "app/rate_limit.hpp"
#include "http/address.hpp"
#include "http/log_throttle.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

using namespace vg::http;
using vg::app::RateLimiter;

TEST(Http, UrlDecodeAndForms) {
    EXPECT_EQ(url_decode("a%20b+c", true), "a b c");
    EXPECT_EQ(url_decode("a+b", false), "a+b");
    EXPECT_EQ(url_decode("%zz%4", true), "%zz%4");  // malformed escapes stay as they are
    auto p = parse_urlencoded("x=1&y=%C3%A9t%C3%A9&empty=&flag&x=2");
    EXPECT_EQ(p.count("x"), 2u);
    EXPECT_EQ(p.find("y")->second, "été");
    EXPECT_EQ(p.find("empty")->second, "");
    EXPECT_EQ(p.count("flag"), 1u);
    EXPECT_EQ(url_encode("a b/é"), "a%20b%2F%C3%A9");
    EXPECT_EQ(html_escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

TEST(Http, Cookies) {
    Request r;
    r.headers["cookie"] = "a=1; vg_csrf=abc; vg_lang=en";
    EXPECT_EQ(r.cookie("vg_csrf"), "abc");
    EXPECT_EQ(r.cookie("vg_lang"), "en");
    EXPECT_EQ(r.cookie("missing"), "");
}

TEST(Http, NegotiatesTheLanguage) {
    const std::vector<std::string> all = {"fr", "en", "nl", "de"};
    auto with = [](const std::string& accept) {
        Request r;
        r.headers["accept-language"] = accept;
        return r;
    };
    EXPECT_EQ(negotiate_language(with("nl-BE,nl;q=0.9,en;q=0.8"), all), "nl");
    EXPECT_EQ(negotiate_language(with("es, DE-at"), all), "de");
    EXPECT_EQ(negotiate_language(with("en;q=0.5"), all), "en");
    // Weight zero, however written, means "not this language".
    for (auto zero : {"en;q=0, nl", "en;q=0.0, nl", "en; q=0.000 ,nl"})
        EXPECT_EQ(negotiate_language(with(zero), all), "nl") << zero;
    EXPECT_EQ(negotiate_language(with("en"), {"nl", "fr"}), "nl");  // the first allowed
    EXPECT_EQ(negotiate_language(with("en"), {}), "fr");
    EXPECT_EQ(negotiate_language(with(""), all), "fr");
    // ?lang= first, then the cookie, then the header; a language not allowed is passed over.
    auto r = with("de");
    r.headers["cookie"] = "vg_lang=en";
    EXPECT_EQ(negotiate_language(r, all), "en");
    r.query = parse_urlencoded("lang=nl");
    EXPECT_EQ(negotiate_language(r, all), "nl");
    r.query = parse_urlencoded("lang=xx");
    EXPECT_EQ(negotiate_language(r, all), "en");
}

TEST(Http, RouterMatchesParamsAndMethods) {
    Router router;
    router.get("/{org}/book", [](Request& r) { return Response::text(200, *r.path_param("org")); });
    router.post("/{org}/book/confirm", [](Request&) { return Response::text(201, "ok"); });
    Request r;
    r.method = "GET";
    r.path = "/d%C3%A9mo/book";
    EXPECT_EQ(router.dispatch(r).body, "démo");
    EXPECT_EQ(r.route, "/{org}/book");
    r.method = "HEAD";
    EXPECT_EQ(router.dispatch(r).status, 200);
    r.method = "GET";
    r.path = "/demo/book/confirm";
    auto res = router.dispatch(r);
    EXPECT_EQ(res.status, 405);
    r.path = "/nowhere/at/all/x";
    EXPECT_EQ(router.dispatch(r).status, 404);
}

TEST(Http, RateLimiterWindows) {
    RateLimiter rl(3, 3600);
    EXPECT_TRUE(rl.allow("1.2.3.4", 1000));
    EXPECT_TRUE(rl.allow("1.2.3.4", 1001));
    EXPECT_TRUE(rl.allow("1.2.3.4", 1002));
    EXPECT_FALSE(rl.allow("1.2.3.4", 1003));
    EXPECT_TRUE(rl.allow("5.6.7.8", 1003));
    EXPECT_EQ(rl.retry_after("1.2.3.4", 1003), 3597);
    EXPECT_TRUE(rl.allow("1.2.3.4", 4600));
    RateLimiter off(0, 3600);
    for (int i = 0; i < 100; ++i) EXPECT_TRUE(off.allow("x", i));
}

TEST(Http, RateLimiterCountsAnIpv6SlashSixtyFourAsOneClient) {
    RateLimiter rl(2, 3600, 100000, network_key);
    EXPECT_TRUE(rl.allow("2001:db8:1:2::1", 1000));
    EXPECT_TRUE(rl.allow("2001:db8:1:2:ffff:ffff:ffff:ffff", 1000));
    EXPECT_FALSE(rl.allow("2001:db8:1:2:aaaa::7", 1000));  // same /64: the same client
    EXPECT_GT(rl.retry_after("2001:db8:1:2::99", 1000), 0);
    EXPECT_TRUE(rl.allow("2001:db8:1:3::1", 1000));  // the next /64 is another client
    // IPv4 addresses are clients of their own, also written as IPv4-mapped IPv6.
    EXPECT_TRUE(rl.allow("192.0.2.1", 1000));
    EXPECT_TRUE(rl.allow("::ffff:192.0.2.1", 1000));
    EXPECT_FALSE(rl.allow("192.0.2.1", 1000));
    EXPECT_TRUE(rl.allow("192.0.2.2", 1000));
    EXPECT_EQ(rl.size(), 4u);
}

TEST(Http, NetworkKeys) {
    EXPECT_EQ(network_key("192.0.2.1"), "192.0.2.1");
    EXPECT_EQ(network_key("::ffff:192.0.2.1"), "192.0.2.1");
    EXPECT_EQ(network_key("2001:DB8:0:0:1:2:3:4"), "2001:db8::/64");
    EXPECT_EQ(network_key("[2001:db8:a:b:c::1]"), "2001:db8:a:b::/64");
    EXPECT_EQ(network_key("-"), "-");
    EXPECT_EQ(network_key("999.1.1.1"), "999.1.1.1");  // not an address: itself
}

TEST(Http, RateLimiterMemoryIsBoundedUnderAFloodOfClients) {
    // 100 000 distinct clients (as many /64 networks) against a cap of 1 000 keys.
    RateLimiter rl(1, 3600, 1000, network_key);
    char ip[64];
    for (int i = 0; i < 100000; ++i) {
        std::snprintf(ip, sizeof ip, "2001:db8:%x:%x::1", i >> 16, i & 0xffff);
        ASSERT_TRUE(rl.allow(ip, 1000 + i / 1000));
        ASSERT_LE(rl.size(), 1000u);
    }
    // The most recent clients are still limited; the oldest were let go.
    EXPECT_FALSE(rl.allow("2001:db8:1:869f::1", 1100));  // i = 99 999
    EXPECT_TRUE(rl.allow("2001:db8:0:0::1", 1100));      // i = 0, forgotten
    // The same client under 100 000 addresses of its /64: one key.
    RateLimiter one(1000000, 3600, 1000, network_key);
    for (int i = 0; i < 100000; ++i) {
        std::snprintf(ip, sizeof ip, "2001:db8:5:5:%x:%x::", i >> 16, i & 0xffff);
        one.allow(ip, 1000);
    }
    EXPECT_EQ(one.size(), 1u);
    // Expired windows are dropped as time goes on, without any cap.
    RateLimiter big(1, 60);
    for (int i = 0; i < 100000; ++i)
        big.allow("10." + std::to_string(i >> 16) + "." + std::to_string((i >> 8) & 255) + "." +
                      std::to_string(i & 255),
                  i / 100);  // 100 new clients a second, each window 60 s
    EXPECT_LE(big.size(), 6100u);
}

TEST(Http, CidrParsing) {
    auto v4 = parse_cidr("10.1.0.0/16");
    EXPECT_TRUE(v4.contains(*parse_ip("10.1.200.3")));
    EXPECT_TRUE(v4.contains(*parse_ip("::ffff:10.1.0.1")));
    EXPECT_FALSE(v4.contains(*parse_ip("10.2.0.1")));
    EXPECT_FALSE(v4.contains(*parse_ip("::a01:1")));  // IPv6, not IPv4
    auto v6 = parse_cidr("2001:db8:80::/41");
    EXPECT_TRUE(v6.contains(*parse_ip("2001:db8:80::1")));
    EXPECT_TRUE(v6.contains(*parse_ip("2001:db8:ff:ffff::1")));
    EXPECT_FALSE(v6.contains(*parse_ip("2001:db8:100::1")));
    EXPECT_FALSE(v6.contains(*parse_ip("192.0.2.1")));
    auto host = parse_cidr("192.0.2.7");
    EXPECT_EQ(host.prefix, 32);
    EXPECT_TRUE(host.contains(*parse_ip("192.0.2.7")));
    EXPECT_FALSE(host.contains(*parse_ip("192.0.2.8")));
    EXPECT_EQ(parse_cidr("::1").prefix, 128);
    EXPECT_TRUE(parse_cidr("0.0.0.0/0").contains(*parse_ip("203.0.113.9")));
    EXPECT_TRUE(parse_cidr("::/0").contains(*parse_ip("2001:db8::1")));
    for (auto bad : {"", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/8x", "10.0.0/8",
                     "host.example", "10.0.0.1/8", "2001:db8::1/32", "10.0.0.0/-1", "1.2.3.4/0"})
        EXPECT_THROW(parse_cidr(bad), std::invalid_argument) << bad;
    try {
        parse_cidr("192.168.1.1/24");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("192.168.1.0/24"), std::string::npos) << e.what();
    }
}

TEST(Http, TrustedProxiesPickTheRightMostUntrustedAddress) {
    auto none = TrustedProxies::parse("");
    EXPECT_TRUE(none.empty());
    EXPECT_EQ(none.client("198.51.100.1", "203.0.113.5"), "198.51.100.1");

    auto proxies = TrustedProxies::parse("10.0.0.0/8, 2001:db8:ffff::/48 127.0.0.1");
    EXPECT_FALSE(proxies.empty());
    // Not from a proxy: the header is the client's own words, ignored.
    EXPECT_EQ(proxies.client("198.51.100.1", "203.0.113.5"), "198.51.100.1");
    // From a proxy: its view of the client.
    EXPECT_EQ(proxies.client("10.0.0.2", "203.0.113.5"), "203.0.113.5");
    // A client writing its own X-Forwarded-For cannot choose: the right-most untrusted wins.
    EXPECT_EQ(proxies.client("10.0.0.2", "1.1.1.1, 203.0.113.5"), "203.0.113.5");
    EXPECT_EQ(proxies.client("10.0.0.2", "1.1.1.1, 203.0.113.5, 10.9.9.9"), "203.0.113.5");
    EXPECT_EQ(proxies.client("127.0.0.1", "2001:db8::7,2001:db8:ffff::1"), "2001:db8::7");
    // Ports and brackets written by some proxies.
    EXPECT_EQ(proxies.client("10.0.0.2", "203.0.113.5:4711"), "203.0.113.5");
    EXPECT_EQ(proxies.client("10.0.0.2", "[2001:db8::9]:4711"), "2001:db8::9");
    // Garbage stops the walk at the last checked hop: the proxy, not the garbage.
    EXPECT_EQ(proxies.client("10.0.0.2", "unknown"), "10.0.0.2");
    EXPECT_EQ(proxies.client("10.0.0.2", "203.0.113.5, nonsense, 10.1.1.1"), "10.1.1.1");
    // No header, or only proxies: the left-most proxy.
    EXPECT_EQ(proxies.client("10.0.0.2", ""), "10.0.0.2");
    EXPECT_EQ(proxies.client("10.0.0.2", "10.3.3.3, 10.4.4.4"), "10.3.3.3");
    // IPv4-mapped peers are IPv4.
    EXPECT_EQ(proxies.client("::ffff:10.0.0.2", "203.0.113.5"), "203.0.113.5");
    EXPECT_THROW(TrustedProxies::parse("10.0.0.0/8, proxy.local"), std::invalid_argument);
}

TEST(Http, LogThrottleLetsAFewLinesASecondThrough) {
    LogThrottle throttle(3);
    auto t0 = LogThrottle::Clock::time_point{} + std::chrono::hours(1);
    int written = 0;
    // A million failures within one second: three lines.
    for (int i = 0; i < 1000000; ++i)
        if (throttle.admit("accept", t0 + std::chrono::microseconds(i % 999999))) ++written;
    EXPECT_EQ(written, 3);
    // Another kind is counted apart.
    EXPECT_EQ(throttle.admit("other", t0), std::optional<std::uint64_t>(0));
    // A second later: the next line says how many were held back.
    EXPECT_EQ(throttle.admit("accept", t0 + std::chrono::seconds(1)),
              std::optional<std::uint64_t>(999997));
    EXPECT_EQ(throttle.admit("accept", t0 + std::chrono::seconds(1)),
              std::optional<std::uint64_t>(0));
}
