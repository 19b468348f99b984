#include <gtest/gtest.h>

#include "http/message.hpp"
#include "http/rate_limit.hpp"
#include "http/router.hpp"

using namespace vg::http;

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
