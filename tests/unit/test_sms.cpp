#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "notify/sms.hpp"
#include "test_gateway.hpp"

using namespace vg::notify;
using vg::test_support::TestGateway;

namespace {

const char* kJsonBody =
    R"({"to":"{{to}}","text":"{{text}}","from":"{{sender}}","id":"{{message_id}}"})";

SmsGatewayConfig json_config(std::string url = "https://api.example/sms") {
    SmsGatewayConfig c;
    c.url = std::move(url);
    c.body_template = kJsonBody;
    c.sender = "CAF";
    c.headers = {{"Authorization", "Bearer secret-key"}};
    return c;
}

SmsGatewayConfig form_config() {
    SmsGatewayConfig c;
    c.url = "https://api.example/sms";
    c.content_type = "application/x-www-form-urlencoded";
    c.body_template = "to={{to}}&text={{text}}&from={{sender}}";
    c.sender = "CAF";
    return c;
}

std::string parse_error(const std::string& json) {
    try {
        parse_sms_gateway(json);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

std::string body_of(const std::string& request) {
    return request.substr(request.find("\r\n\r\n") + 4);
}

}  // namespace

// --- escaping -------------------------------------------------------------------------------

TEST(SmsEscape, JsonQuotesBackslashesNewlinesUnicode) {
    auto c = json_config();
    std::string text = "Il a dit \"oui\"\\non\nligne 2\r\tfin \x01 é € 🙂";
    auto body = render_sms_body(c, "+33612345678", text, "msg-1");
    EXPECT_NE(body.find(R"(Il a dit \"oui\"\\non\nligne 2\r\tfin \u0001 é € 🙂)"),
              std::string::npos)
        << body;
    auto j = nlohmann::json::parse(body);  // still valid JSON, values round-trip
    EXPECT_EQ(j["text"], text);
    EXPECT_EQ(j["to"], "+33612345678");
    EXPECT_EQ(j["from"], "CAF");
    EXPECT_EQ(j["id"], "msg-1");
}

TEST(SmsEscape, FormPercentEncodesReservedCharacters) {
    auto body = render_sms_body(form_config(), "+33612345678", "a&b=c+d e/é\n", "m");
    EXPECT_EQ(body, "to=%2B33612345678&text=a%26b%3Dc%2Bd%20e%2F%C3%A9%0A&from=CAF");
}

TEST(SmsEscape, SubstitutesInOnePassOnly) {
    auto c = json_config();
    auto body = render_sms_body(c, "+33612345678", "see {{to}} and {{ sender }}", "{{text}}");
    auto j = nlohmann::json::parse(body);
    EXPECT_EQ(j["text"], "see {{to}} and {{ sender }}");
    EXPECT_EQ(j["id"], "{{text}}");
}

TEST(SmsEscape, RefusesInvalidUtf8) {
    auto c = json_config();
    EXPECT_THROW(render_sms_body(c, "+33612345678", "bad \xC3(", "m"), std::invalid_argument);
    EXPECT_THROW(render_sms_body(c, "+33612345678", "overlong \xC0\xAF", "m"),
                 std::invalid_argument);
    EXPECT_THROW(render_sms_body(c, "+33612345678", "surrogate \xED\xA0\x80", "m"),
                 std::invalid_argument);
}

// --- configuration --------------------------------------------------------------------------

TEST(SmsConfig, ParsesTheDocumentedExample) {
    auto c = parse_sms_gateway(R"({"url":"https://api.example/sms",
        "headers":{"Authorization":"Bearer X"},
        "body":"{\"to\":\"{{to}}\",\"text\":\"{{text}}\",\"from\":\"{{sender}}\"}",
        "content_type":"application/json","sender":"CAF"})");
    EXPECT_EQ(c.url, "https://api.example/sms");
    EXPECT_EQ(c.method, "POST");
    ASSERT_EQ(c.headers.size(), 1u);
    EXPECT_EQ(c.headers[0].first, "Authorization");
    EXPECT_EQ(c.headers[0].second, "Bearer X");
    EXPECT_EQ(c.body_template, R"({"to":"{{to}}","text":"{{text}}","from":"{{sender}}"})");
    EXPECT_EQ(c.sender, "CAF");
    EXPECT_EQ(c.timeout_seconds, 15);
    EXPECT_TRUE(c.verify_tls);

    auto f = parse_sms_gateway(R"({"url":"https://api.example/sms","method":"put",
        "body":"to={{to}}&msg={{text}}","timeout_seconds":5,"verify_tls":false,
        "content_type":"application/x-www-form-urlencoded; charset=utf-8"})");
    EXPECT_EQ(f.method, "PUT");
    EXPECT_EQ(f.timeout_seconds, 5);
    EXPECT_FALSE(f.verify_tls);
}

TEST(SmsConfig, ParseErrorsAreClear) {
    EXPECT_NE(parse_error(R"({"url":"https://a/sms", "headers":{"Authorization":"Bearer SECRET")")
                  .find("invalid JSON"),
              std::string::npos);
    EXPECT_EQ(parse_error(R"({"url":"https://a/sms", "body": SECRET})").find("SECRET"),
              std::string::npos);  // the input is never quoted
    EXPECT_NE(parse_error("[]").find("object"), std::string::npos);
    EXPECT_NE(parse_error(R"({"body":"{{to}} {{text}}"})").find("url is required"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"url":"https://a/sms"})").find("body is required"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"url":"https://a/sms","body":"{\"t\":\"{{text}}\",\"n\":\"{{to}}\"}",
                              "header":{}})")
                  .find("unknown key \"header\""),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"url":1,"body":"x"})").find("url must be a string"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"url":"https://a/sms","body":"x","headers":[]})").find("headers"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"url":"https://a/sms","body":"x","headers":{"A":1}})")
                  .find("header A must be a string"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"url":"https://a/sms","body":"x","timeout_seconds":"5"})")
                  .find("timeout_seconds"),
              std::string::npos);
    EXPECT_NE(
        parse_error(R"({"url":"https://a/sms","body":"x","verify_tls":"no"})").find("verify_tls"),
        std::string::npos);
    // Content types other than JSON and form are refused.
    EXPECT_NE(parse_error(R"({"url":"https://a/sms","body":"{{to}} {{text}}",
                              "content_type":"text/plain"})")
                  .find("content_type"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"url":"https://a/sms","body":"{{to}} {{text}}","method":"GET"})")
                  .find("POST or PUT"),
              std::string::npos);
}

TEST(SmsConfig, BodyTemplateRules) {
    auto c = json_config();
    EXPECT_EQ(validate(c), std::nullopt);
    c.body_template = R"({"to":{{to}},"text":"{{text}}"})";  // placeholder outside quotes
    EXPECT_NE(validate(c).value_or("").find("inside quotes"), std::string::npos);
    c.body_template = R"({"to":"{{to}}","text":"{{txt}}"})";
    EXPECT_NE(validate(c).value_or("").find("unknown placeholder {{txt}}"), std::string::npos);
    c.body_template = R"({"to":"{{to}}"})";
    EXPECT_NE(validate(c).value_or("").find("{{text}}"), std::string::npos);
    c.body_template = R"({"text":"{{text}}"})";
    EXPECT_NE(validate(c).value_or("").find("{{to}}"), std::string::npos);
    c.headers.emplace_back("X-To", "{{to}}");  // the recipient may travel in a header instead
    EXPECT_EQ(validate(c), std::nullopt);
    c = json_config();
    c.sender = "";
    EXPECT_NE(validate(c).value_or("").find("sender is required"), std::string::npos);
    c.sender = "TWELVE_CHARS";
    EXPECT_NE(validate(c).value_or("").find("11 characters"), std::string::npos);
    c.sender = "+33612345678";
    EXPECT_EQ(validate(c), std::nullopt);
    c = json_config();
    c.timeout_seconds = 0;
    EXPECT_NE(validate(c), std::nullopt);
}

TEST(SmsConfig, RefusesHeaderInjection) {
    auto with_header = [](std::string name, std::string value) {
        auto c = json_config();
        c.headers.emplace_back(std::move(name), std::move(value));
        return validate(c);
    };
    EXPECT_EQ(with_header("X-Api-Key", "abc\tdef"), std::nullopt);
    EXPECT_EQ(with_header("X-Message-Id", "{{message_id}}"), std::nullopt);
    EXPECT_NE(with_header("X-Api-Key", "abc\r\nX-Evil: 1"), std::nullopt);
    EXPECT_NE(with_header("X-Api-Key", "abc\n"), std::nullopt);
    EXPECT_NE(with_header("X-Api-Key", std::string("a\0b", 3)), std::nullopt);
    EXPECT_NE(with_header("X-Evil\r\nX-Other", "1"), std::nullopt);
    EXPECT_NE(with_header("X Api", "1"), std::nullopt);
    EXPECT_NE(with_header("X-Api:", "1"), std::nullopt);
    EXPECT_NE(with_header("", "1"), std::nullopt);
    EXPECT_NE(with_header("Content-Type", "text/plain").value_or("").find("content_type"),
              std::string::npos);
    EXPECT_NE(with_header("Content-Length", "1"), std::nullopt);
    EXPECT_NE(with_header("X-Text", "{{text}}").value_or("").find("only allowed in the body"),
              std::string::npos);  // the text may hold line breaks
    auto c = json_config();
    c.content_type = "application/json\r\nX-Evil: 1";
    EXPECT_NE(validate(c), std::nullopt);
    // The error never quotes a header value (it may be a secret).
    EXPECT_EQ(with_header("Authorization", "Bearer TOPSECRET\n").value_or("").find("TOPSECRET"),
              std::string::npos);
}

TEST(SmsConfig, UrlSchemeRules) {
    auto url_error = [](std::string url) {
        auto c = json_config(std::move(url));
        return validate(c);
    };
    EXPECT_EQ(url_error("https://api.example/sms"), std::nullopt);
    EXPECT_EQ(url_error("HTTPS://api.example:8443/v1/sms?x=1"), std::nullopt);
    EXPECT_EQ(url_error("http://127.0.0.1:8080/sms"), std::nullopt);
    EXPECT_EQ(url_error("http://localhost/sms"), std::nullopt);
    EXPECT_NE(url_error("http://api.example/sms"), std::nullopt);
    EXPECT_NE(url_error("http://127.0.0.2/sms"), std::nullopt);
    EXPECT_NE(url_error("http://localhost@evil.example/sms"), std::nullopt);
    EXPECT_NE(url_error("http://localhost.evil.example/sms"), std::nullopt);
    EXPECT_NE(url_error("ftp://api.example/sms"), std::nullopt);
    EXPECT_NE(url_error("file:///etc/passwd"), std::nullopt);
    EXPECT_NE(url_error("api.example/sms"), std::nullopt);
    EXPECT_NE(url_error(""), std::nullopt);
    EXPECT_NE(url_error("https://api.example/sms\r\nX: 1"), std::nullopt);
    EXPECT_NE(url_error("https://api.example/{{to}}"), std::nullopt);
}

// --- sending --------------------------------------------------------------------------------

TEST(SmsSend, RefusesBeforeSendingWithoutLeakingValues) {
    // A closed port: anything actually sent would fail as temporary, not permanent.
    auto c = json_config("http://127.0.0.1:1/sms");
    SmsSender s;
    auto expect_refused = [&](const std::string& to, const std::string& text,
                              const std::string& what) {
        auto r = s.send(c, to, text, "m1");
        EXPECT_FALSE(r.ok);
        EXPECT_TRUE(r.permanent) << r.error;
        EXPECT_NE(r.error.find(what), std::string::npos) << r.error;
        EXPECT_EQ(r.error.find(to), std::string::npos) << r.error;
        if (!text.empty()) {
            EXPECT_EQ(r.error.find(text), std::string::npos) << r.error;
        }
    };
    expect_refused("+33112345678", "Bonjour", "not a mobile");
    expect_refused("0612345678", "Bonjour", "not a mobile");
    expect_refused("+33612345678", "", "empty");
    expect_refused("+33612345678", "bad \xFF", "UTF-8");
    expect_refused("+33612345678", std::string(460, 'a'), "4 segments (at most 3)");
    expect_refused("+33612345678", std::string(202, 'x') + "Œ", "4 segments");  // UCS-2

    auto bad = c;
    bad.url = "http://api.example/sms";
    auto r = s.send(bad, "+33612345678", "Bonjour", "m1");
    EXPECT_TRUE(r.permanent);
    EXPECT_NE(r.error.find("https"), std::string::npos) << r.error;
    r = s.send(c, "+33612345678", "Bonjour", "m\r\n1");
    EXPECT_TRUE(r.permanent);
}

TEST(SmsSend, ThreeSegmentsIsTheLimit) {
    SmsSender s;
    TestGateway gw({200});
    auto r = s.send(json_config(gw.url()), "+33612345678", std::string(459, 'a'), "m1");
    EXPECT_TRUE(r.ok) << r.error;
}

TEST(SmsSend, PostsTheRenderedRequest) {
    SmsSender s;
    TestGateway gw({201});
    auto c = json_config(gw.url());
    c.headers.emplace_back("X-Message-Id", "{{message_id}}");
    c.headers.emplace_back("X-Empty", "");
    auto r = s.send(c, "+33612345678", "Rendez-vous le 25 à 9h30\n\"CAF\"", "msg-42");
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.error, "");
    ASSERT_EQ(gw.received().size(), 1u);
    const auto& req = gw.received()[0];
    EXPECT_EQ(req.rfind("POST /sms HTTP/1.1\r\n", 0), 0u) << req;
    EXPECT_NE(req.find("\r\nAuthorization: Bearer secret-key\r\n"), std::string::npos);
    EXPECT_NE(req.find("\r\nContent-Type: application/json\r\n"), std::string::npos);
    EXPECT_NE(req.find("\r\nX-Message-Id: msg-42\r\n"), std::string::npos);
    EXPECT_NE(req.find("\r\nX-Empty:"), std::string::npos);
    EXPECT_EQ(req.find("Expect:"), std::string::npos);
    auto j = nlohmann::json::parse(body_of(req));
    EXPECT_EQ(j["to"], "+33612345678");
    EXPECT_EQ(j["text"], "Rendez-vous le 25 à 9h30\n\"CAF\"");
    EXPECT_EQ(j["from"], "CAF");
    EXPECT_EQ(j["id"], "msg-42");
}

TEST(SmsSend, ClassifiesGatewayAnswers) {
    SmsSender s;
    struct Case {
        int status;
        bool ok, permanent;
    };
    std::vector<Case> cases = {{200, true, false},  {202, true, false},  {400, false, true},
                               {401, false, true},  {404, false, true},  {408, false, false},
                               {429, false, false}, {500, false, false}, {503, false, false},
                               {301, false, true}};
    std::vector<int> statuses;
    for (auto& k : cases) statuses.push_back(k.status);
    TestGateway gw(statuses);
    auto c = json_config(gw.url());
    for (auto& k : cases) {
        auto r = s.send(c, "+33612345678", "Bonjour", "m1");
        EXPECT_EQ(r.ok, k.ok) << k.status << " " << r.error;
        EXPECT_EQ(r.permanent, k.permanent) << k.status << " " << r.error;
        if (!k.ok) {
            EXPECT_EQ(r.error.find("gateway answered " + std::to_string(k.status)), 0u) << r.error;
            EXPECT_EQ(r.error.find("+33612345678"), std::string::npos);
            EXPECT_EQ(r.error.find("Bonjour"), std::string::npos);
        }
    }
}

TEST(SmsSend, NetworkErrorsAreTemporary) {
    SmsSender s;
    auto r = s.send(json_config("http://127.0.0.1:1/sms"), "+33612345678", "Bonjour", "m1");
    EXPECT_FALSE(r.ok);
    EXPECT_FALSE(r.permanent);
    EXPECT_NE(r.error.find("gateway unreachable"), std::string::npos) << r.error;

    TestGateway gw({-1});  // accepts, never answers
    auto c = json_config(gw.url());
    c.timeout_seconds = 1;
    r = s.send(c, "+33612345678", "Bonjour", "m1");
    EXPECT_FALSE(r.ok);
    EXPECT_FALSE(r.permanent);
    EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
}
