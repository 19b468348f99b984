// The video room's signalling edge (src/video): client messages parsed into typed structs
// (shape, size, nesting), the per-connection rate limit with a given time, and TURN
// credentials in the coturn REST convention.
#include <gtest/gtest.h>

#include "video/protocol.hpp"
#include "video/turn.hpp"

using namespace vg;
using video::ErrorCode;

namespace {

ErrorCode refused(std::string_view text) {
    auto r = video::parse_client_message(text);
    EXPECT_TRUE(std::holds_alternative<ErrorCode>(r)) << text;
    return std::holds_alternative<ErrorCode>(r) ? std::get<ErrorCode>(r) : ErrorCode::refused;
}

template <class T>
T parsed(std::string_view text) {
    auto r = video::parse_client_message(text);
    EXPECT_TRUE(std::holds_alternative<video::ClientMessage>(r)) << text;
    auto& m = std::get<video::ClientMessage>(r);
    EXPECT_TRUE(std::holds_alternative<T>(m)) << text;
    return std::get<T>(m);
}

}  // namespace

TEST(VideoProtocol, HelloTakesExactlyOneWayIn) {
    EXPECT_EQ(parsed<video::Hello>(R"({"type":"hello","room":"abc"})").room, "abc");
    auto agent = parsed<video::Hello>(R"({"type":"hello","appointment":12,"resume":"r"})");
    EXPECT_EQ(agent.appointment, 12);
    EXPECT_EQ(agent.resume, "r");
    EXPECT_EQ(parsed<video::Hello>(R"({"type":"hello","invite":"i"})").invite, "i");
    EXPECT_EQ(refused(R"({"type":"hello"})"), ErrorCode::malformed);
    EXPECT_EQ(refused(R"({"type":"hello","room":"a","invite":"b"})"), ErrorCode::malformed);
    EXPECT_EQ(refused(R"({"type":"hello","appointment":"12"})"), ErrorCode::malformed);
    EXPECT_EQ(refused(R"({"type":"hello","appointment":-1})"), ErrorCode::malformed);
    EXPECT_EQ(refused(R"({"type":"hello","room":7})"), ErrorCode::malformed);
    EXPECT_EQ(refused(R"({"type":"hello","room":"a","resume":1})"), ErrorCode::malformed);
}

TEST(VideoProtocol, MalformedUnknownAndTooLarge) {
    EXPECT_EQ(refused("{not json"), ErrorCode::malformed);
    EXPECT_EQ(refused("[]"), ErrorCode::malformed);
    EXPECT_EQ(refused(R"({"kind":"chat"})"), ErrorCode::malformed);
    EXPECT_EQ(refused(R"({"type":7})"), ErrorCode::malformed);
    EXPECT_EQ(refused(R"({"type":"teleport"})"), ErrorCode::unknown_type);
    EXPECT_EQ(refused(std::string(70 * 1024, ' ')), ErrorCode::too_large);
    // Deep nesting never reaches the parser; brackets inside strings do not count.
    EXPECT_EQ(refused(std::string(100, '[') + std::string(100, ']')), ErrorCode::malformed);
    EXPECT_EQ(parsed<video::Chat>(R"({"type":"chat","text":"[[[[[[[[[[[[[[[[[[[[[["})").text,
              "[[[[[[[[[[[[[[[[[[[[[[");
}

TEST(VideoProtocol, SignalDataHasOneOfTheThreeShapes) {
    const std::string to = R"({"type":"signal","to":"p0123456789abcdef","data":)";
    auto s = parsed<video::Signal>(to + R"({"description":{"type":"offer","sdp":"v=0"}}})");
    EXPECT_EQ(s.to, "p0123456789abcdef");
    EXPECT_EQ(s.data["description"]["sdp"], "v=0");
    parsed<video::Signal>(to + R"({"candidate":{"candidate":"a","sdpMid":"0"}}})");
    parsed<video::Signal>(to + R"({"candidate":null}})");
    parsed<video::Signal>(to + R"({"restart":true}})");
    for (auto bad : {R"("x"})", R"({}})", R"({"restart":false}})", R"({"candidate":"a"}})",
                     R"({"description":{"type":"pranswer","sdp":"v=0"}}})",
                     R"({"restart":true,"candidate":null}})"})
        EXPECT_EQ(refused(to + bad), ErrorCode::malformed) << bad;
    EXPECT_EQ(refused(R"({"type":"signal","to":"someone","data":{"restart":true}})"),
              ErrorCode::malformed);
}

TEST(VideoProtocol, ChatIsTrimmedAndBounded) {
    EXPECT_EQ(parsed<video::Chat>(R"({"type":"chat","text":"  bonjour \n"})").text, "bonjour");
    EXPECT_EQ(refused(R"({"type":"chat","text":"   "})"), ErrorCode::malformed);
    EXPECT_EQ(refused(R"({"type":"chat"})"), ErrorCode::malformed);
    std::string e2000, e2001;
    for (int i = 0; i < 2000; ++i) e2000 += "é";
    e2001 = e2000 + "é";
    EXPECT_EQ(parsed<video::Chat>(R"({"type":"chat","text":")" + e2000 + "\"}").text, e2000);
    EXPECT_EQ(refused(R"({"type":"chat","text":")" + e2001 + "\"}"), ErrorCode::malformed);
}

TEST(VideoProtocol, EventsAreOfTheKnownNames) {
    auto e = parsed<video::Event>(R"({"type":"event","name":"connected","detail":"relay"})");
    EXPECT_EQ(e.name, "connected");
    EXPECT_EQ(e.detail, "relay");
    EXPECT_EQ(refused(R"({"type":"event","name":"hacked"})"), ErrorCode::malformed);
    EXPECT_EQ(
        refused(R"({"type":"event","name":"connected","detail":")" + std::string(201, 'x') + "\"}"),
        ErrorCode::malformed);
    parsed<video::Admit>(R"({"type":"admit","participant":"p0123456789abcdef"})");
    EXPECT_EQ(refused(R"({"type":"admit","participant":"../x"})"), ErrorCode::malformed);
    parsed<video::MoveToPhone>(R"({"type":"move_to_phone"})");
    parsed<video::End>(R"({"type":"end"})");
}

TEST(VideoRateLimit, BurstThenRateThenClose) {
    using namespace std::chrono;
    video::RateLimit limit(50, 100, 10);
    auto t = steady_clock::time_point(seconds(1000));
    for (int i = 0; i < 100; ++i) ASSERT_EQ(limit.take(t), video::RateLimit::Verdict::allow) << i;
    EXPECT_EQ(limit.take(t), video::RateLimit::Verdict::refuse);
    // 20 ms later one more token (50 a second).
    t += milliseconds(20);
    EXPECT_EQ(limit.take(t), video::RateLimit::Verdict::allow);
    EXPECT_EQ(limit.take(t), video::RateLimit::Verdict::refuse);
    // More than ten times the rate within one second: closed.
    video::RateLimit flood(50, 100, 10);
    auto u = steady_clock::time_point(seconds(2000));
    video::RateLimit::Verdict last = video::RateLimit::Verdict::allow;
    int n = 0;
    while (last != video::RateLimit::Verdict::close && n < 1000) last = flood.take(u), ++n;
    EXPECT_EQ(n, 501);
    // A steady 50 a second is never refused.
    video::RateLimit steady(50, 100, 10);
    auto v = steady_clock::time_point(seconds(3000));
    for (int i = 0; i < 500; ++i, v += milliseconds(20))
        ASSERT_EQ(steady.take(v), video::RateLimit::Verdict::allow) << i;
}

TEST(VideoTurn, CredentialsFollowTheCoturnRestConvention) {
    // base64(HMAC-SHA1("Jefe", "1767000000:p0123456789abcdef")), computed with Python's hmac.
    auto c = video::turn_credential("Jefe", 1767000000, "p0123456789abcdef");
    EXPECT_EQ(c.username, "1767000000:p0123456789abcdef");
    EXPECT_EQ(c.credential, "sx2tJD45VjDjbtGzfkMz9DrlaKM=");
}
