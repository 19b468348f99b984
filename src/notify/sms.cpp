#include "notify/sms.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>

#include "core/citizen.hpp"
#include "core/encoding.hpp"
#include "core/phone.hpp"

namespace vg::notify {

namespace {

constexpr std::string_view kPlaceholders[] = {"to", "text", "sender", "message_id"};

enum class Encoding { Json, Form };

// Control characters (C0 and DEL); a horizontal tab is allowed when allow_tab is set.
bool has_control(std::string_view s, bool allow_tab = false) {
    return std::any_of(s.begin(), s.end(), [&](char ch) {
        auto c = static_cast<unsigned char>(ch);
        return (c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7F;
    });
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// "application/json; charset=utf-8" -> Json. Parameters after ';' are kept in the header but
// do not change the escaping.
std::optional<Encoding> encoding_of(std::string_view content_type) {
    auto media = content_type.substr(0, content_type.find(';'));
    while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
    while (!media.empty() && (media.front() == ' ' || media.front() == '\t'))
        media.remove_prefix(1);
    auto m = lower(media);
    if (m == "application/json") return Encoding::Json;
    if (m == "application/x-www-form-urlencoded") return Encoding::Form;
    return std::nullopt;
}

// JSON string contents without the surrounding quotes (the template provides them); the
// values are valid UTF-8 (checked before), so nlohmann's dump cannot throw.
std::string json_escape(std::string_view s) {
    auto quoted = nlohmann::json(std::string(s)).dump();
    return quoted.substr(1, quoted.size() - 2);
}

// One "{{name}}" (spaces allowed inside the braces) found in a template.
struct Placeholder {
    std::size_t begin, end;  // [begin, end) in the template
    std::string_view name;
};

// The placeholder starting at pos, if any. "{{" not followed by name and "}}" is literal.
std::optional<Placeholder> placeholder_at(std::string_view t, std::size_t pos) {
    if (t.compare(pos, 2, "{{") != 0) return std::nullopt;
    std::size_t i = pos + 2;
    while (i < t.size() && t[i] == ' ') ++i;
    std::size_t name_begin = i;
    while (i < t.size() && ((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
                            (t[i] >= '0' && t[i] <= '9') || t[i] == '_'))
        ++i;
    std::size_t name_end = i;
    while (i < t.size() && t[i] == ' ') ++i;
    if (name_end == name_begin || t.compare(i, 2, "}}") != 0) return std::nullopt;
    return Placeholder{pos, i + 2, t.substr(name_begin, name_end - name_begin)};
}

std::vector<std::string_view> placeholders_in(std::string_view t) {
    std::vector<std::string_view> names;
    for (std::size_t i = 0; i < t.size();) {
        if (auto p = placeholder_at(t, i)) {
            names.push_back(p->name);
            i = p->end;
        } else {
            ++i;
        }
    }
    return names;
}

bool contains(const std::vector<std::string_view>& names, std::string_view n) {
    return std::find(names.begin(), names.end(), n) != names.end();
}

bool known_placeholder(std::string_view n) {
    return std::find(std::begin(kPlaceholders), std::end(kPlaceholders), n) !=
           std::end(kPlaceholders);
}

struct Values {
    std::string_view to, text, sender, message_id;
    std::string_view get(std::string_view name) const {
        if (name == "to") return to;
        if (name == "text") return text;
        if (name == "sender") return sender;
        if (name == "message_id") return message_id;
        throw std::invalid_argument("unknown placeholder {{" + std::string(name) + "}}");
    }
};

// Single left-to-right pass: substituted values are never scanned for placeholders again.
template <class Escape>
std::string substitute(std::string_view t, const Values& v, Escape escape) {
    std::string out;
    out.reserve(t.size() + v.text.size() + 32);
    for (std::size_t i = 0; i < t.size();) {
        if (auto p = placeholder_at(t, i)) {
            out += escape(v.get(p->name));
            i = p->end;
        } else {
            out += t[i++];
        }
    }
    return out;
}

// RFC 9110 token characters, the only ones allowed in a header name.
bool valid_header_name(std::string_view n) {
    static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
    return !n.empty() && std::all_of(n.begin(), n.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               kExtra.find(c) != std::string_view::npos;
    });
}

// Alphanumeric sender ids are limited to 11 characters by GSM; numeric ones to 15 digits.
std::optional<std::string> sender_error(const std::string& s) {
    if (s.empty()) return std::nullopt;
    bool numeric = s.size() >= 2 && s[0] == '+' &&
                   std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (numeric)
        return s.size() <= 16 ? std::nullopt
                              : std::optional<std::string>("sender number is too long");
    bool printable_ascii =
        std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
    if (!printable_ascii) return "sender must be printable ASCII (or a +number)";
    if (s.size() > 11) return "sender must be at most 11 characters (or a +number)";
    return std::nullopt;
}

void curl_init_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct UrlParts {
    std::string scheme, host;
};

// Scheme and host as libcurl itself will read them (so "http://localhost@evil/" is evil).
std::optional<UrlParts> parse_url(const std::string& url) {
    curl_init_once();
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
    if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
        return std::nullopt;
    UrlParts parts;  // host stays empty when there is none (file:///...)
    for (auto [part, out] :
         {std::pair{CURLUPART_SCHEME, &parts.scheme}, std::pair{CURLUPART_HOST, &parts.host}}) {
        char* v = nullptr;
        if (curl_url_get(u.get(), part, &v, 0) == CURLUE_OK && v) *out = lower(v);
        curl_free(v);
    }
    if (parts.scheme.empty()) return std::nullopt;
    return parts;
}

bool is_loopback(const std::string& host) {
    return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

std::size_t discard_cb(char*, std::size_t size, std::size_t n, void*) {
    return size * n;
}

SendResult failure(std::string error, bool permanent) {
    SendResult r;
    r.permanent = permanent;
    r.error = std::move(error);
    return r;
}

}  // namespace

std::optional<std::string> validate(const SmsGatewayConfig& c) {
    // URL: https anywhere, plain http only on this machine (tests, local relays).
    if (c.url.empty()) return "url is required";
    if (has_control(c.url) || c.url.find(' ') != std::string::npos)
        return "url must not contain spaces or control characters";
    if (c.url.find("{{") != std::string::npos) return "url takes no placeholders";
    auto parts = parse_url(c.url);
    if (!parts) return "url is not a valid absolute URL";
    if (parts->scheme == "http") {
        if (!is_loopback(parts->host))
            return "url must use https:// (http:// is only allowed for 127.0.0.1 or localhost)";
    } else if (parts->scheme != "https") {
        return "url must use https://";
    }
    if (parts->host.empty()) return "url has no host";

    if (c.method != "POST" && c.method != "PUT") return "method must be POST or PUT";
    if (c.timeout_seconds < 1 || c.timeout_seconds > 300)
        return "timeout_seconds must be between 1 and 300";

    if (has_control(c.content_type)) return "content_type must not contain control characters";
    auto enc = encoding_of(c.content_type);
    if (!enc) return "content_type must be application/json or application/x-www-form-urlencoded";

    if (auto e = sender_error(c.sender)) return e;

    // Headers: token names, no CR/LF or other control characters (no header injection),
    // placeholders limited to values that cannot hold line breaks.
    bool to_in_headers = false, sender_used = false;
    for (const auto& [name, value] : c.headers) {
        if (!valid_header_name(name)) return "invalid header name (letters, digits, -_. only)";
        auto l = lower(name);
        if (l == "content-type") return "set content_type instead of a Content-Type header";
        if (l == "content-length" || l == "transfer-encoding" || l == "host" || l == "expect")
            return "header " + name + " is managed by the sender";
        if (has_control(value, true))
            return "header " + name + " must not contain line breaks or control characters";
        for (auto p : placeholders_in(value)) {
            if (!known_placeholder(p))
                return "unknown placeholder {{" + std::string(p) + "}} in header " + name;
            if (p == "text") return "{{text}} is only allowed in the body (header " + name + ")";
            to_in_headers |= p == "to";
            sender_used |= p == "sender";
        }
    }

    // Body template.
    if (c.body_template.empty()) return "body is required";
    if (!core::is_valid_utf8(c.body_template)) return "body is not valid UTF-8";
    auto names = placeholders_in(c.body_template);
    for (auto p : names)
        if (!known_placeholder(p))
            return "unknown placeholder {{" + std::string(p) +
                   "}} in body (known: to, text, sender, message_id)";
    if (!contains(names, "text")) return "body must contain {{text}}";
    if (!contains(names, "to") && !to_in_headers) return "body must contain {{to}}";
    sender_used |= contains(names, "sender");
    if (sender_used && c.sender.empty()) return "sender is required: the request uses {{sender}}";
    if (*enc == Encoding::Json) {
        // Fill with values holding quotes: it only parses if every placeholder sits inside a
        // JSON string, as escaping expects.
        Values sample{"+33600000000\"", "a\"b\\c\nd \xC3\xA9", "S\"", "m\"1"};
        auto rendered = substitute(c.body_template, sample, json_escape);
        if (nlohmann::json::parse(rendered, nullptr, false).is_discarded())
            return "body is not valid JSON once filled (placeholders go inside quotes: "
                   "\"{{text}}\")";
    }
    return std::nullopt;
}

SmsGatewayConfig parse_sms_gateway(const std::string& text) {
    auto fail = [](const std::string& m) { throw std::runtime_error("SMS gateway config: " + m); };
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // Only the position: the message would quote the input, which holds secrets.
        fail("invalid JSON near byte " + std::to_string(e.byte));
    }
    if (!j.is_object()) fail("expected a JSON object");

    SmsGatewayConfig c;
    auto string_of = [&](const nlohmann::json& v, const std::string& key) {
        if (!v.is_string()) fail(key + " must be a string");
        return v.get<std::string>();
    };
    bool has_url = false, has_body = false;
    for (const auto& [key, v] : j.items()) {
        if (key == "url") {
            c.url = string_of(v, key);
            has_url = true;
        } else if (key == "method") {
            c.method = string_of(v, key);
            std::transform(c.method.begin(), c.method.end(), c.method.begin(),
                           [](char ch) { return ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch; });
        } else if (key == "headers") {
            if (!v.is_object()) fail("headers must be an object of name: value strings");
            for (const auto& [name, value] : v.items())
                c.headers.emplace_back(name, string_of(value, "header " + name));
        } else if (key == "body") {
            c.body_template = string_of(v, key);
            has_body = true;
        } else if (key == "content_type") {
            c.content_type = string_of(v, key);
        } else if (key == "sender") {
            c.sender = string_of(v, key);
        } else if (key == "timeout_seconds") {
            if (!v.is_number_integer()) fail("timeout_seconds must be an integer");
            c.timeout_seconds = v.get<long>();
        } else if (key == "verify_tls") {
            if (!v.is_boolean()) fail("verify_tls must be true or false");
            c.verify_tls = v.get<bool>();
        } else {
            fail("unknown key \"" + key.substr(0, 40) +
                 "\" (known: url, method, headers, body, content_type, sender, "
                 "timeout_seconds, verify_tls)");
        }
    }
    if (!has_url) fail("url is required");
    if (!has_body) fail("body is required");
    if (auto e = validate(c)) fail(*e);
    return c;
}

std::string render_sms_body(const SmsGatewayConfig& c, const std::string& to,
                            const std::string& text, const std::string& message_id) {
    for (const std::string* v : {&to, &text, &c.sender, &message_id})
        if (!core::is_valid_utf8(*v)) throw std::invalid_argument("SMS value is not valid UTF-8");
    auto enc = encoding_of(c.content_type);
    if (!enc) throw std::invalid_argument("unsupported SMS gateway content_type");
    Values v{to, text, c.sender, message_id};
    return *enc == Encoding::Json ? substitute(c.body_template, v, json_escape)
                                  : substitute(c.body_template, v, core::percent_encode);
}

SendResult SmsSender::send(const SmsGatewayConfig& c, const std::string& to_e164,
                           const std::string& text, const std::string& message_id) const {
    // Refusals: permanent, retrying the same message cannot help. No values in the messages.
    if (auto e = validate(c)) return failure("SMS gateway config: " + *e, true);
    if (!core::is_mobile(to_e164)) return failure("recipient is not a mobile number", true);
    if (text.empty()) return failure("empty SMS text", true);
    if (!core::is_valid_utf8(text)) return failure("SMS text is not valid UTF-8", true);
    auto len = core::sms_length(text);
    if (len.segments > kMaxSmsSegments)
        return failure("SMS text needs " + std::to_string(len.segments) + " segments (at most " +
                           std::to_string(kMaxSmsSegments) + ")",
                       true);
    if (!core::is_valid_utf8(message_id) || has_control(message_id))
        return failure("invalid message id (control characters or not UTF-8)", true);

    std::string body;
    std::vector<std::string> header_lines;
    try {
        body = render_sms_body(c, to_e164, text, message_id);
        Values v{to_e164, text, c.sender, message_id};
        for (const auto& [name, value] : c.headers) {
            // Raw substitution: every value was checked for control characters above.
            auto filled = substitute(value, v, [](std::string_view s) { return std::string(s); });
            if (has_control(filled, true))
                return failure("header " + name + " would contain a control character", true);
            // "Name:" with nothing after it would make curl drop the header; "Name;" sends it
            // empty.
            header_lines.push_back(filled.empty() ? name + ";" : name + ": " + filled);
        }
    } catch (const std::exception& e) {
        return failure(std::string("cannot build the SMS request: ") + e.what(), true);
    }
    header_lines.push_back("Content-Type: " + c.content_type);
    header_lines.push_back("Expect:");  // no 100-continue round trip

    curl_init_once();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return failure("curl_easy_init failed", false);
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr,
                                                                        curl_slist_free_all);
    for (const auto& line : header_lines) {
        curl_slist* next = curl_slist_append(headers.get(), line.c_str());
        if (!next) return failure("out of memory building the SMS request", false);
        headers.release();
        headers.reset(next);
    }

    char errbuf[CURL_ERROR_SIZE] = {0};
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, c.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    if (c.method == "PUT") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_USERAGENT, "visioguichet");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);  // the answer may echo the text
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, std::min(c.timeout_seconds, 10L));
    curl_easy_setopt(h, CURLOPT_TIMEOUT, c.timeout_seconds);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    if (c.url.size() > 7 && lower(c.url.substr(0, 7)) == "http://")
        curl_easy_setopt(h, CURLOPT_NOPROXY, "*");  // loopback only (validate): never proxied
    if (!c.verify_tls) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }

    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK)
        return failure(
            std::string("gateway unreachable: ") + (errbuf[0] ? errbuf : curl_easy_strerror(rc)),
            false);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    if (code >= 200 && code < 300) {
        SendResult r;
        r.ok = true;
        return r;
    }
    auto answered = "gateway answered " + std::to_string(code);
    if (code == 408 || code == 429 || code >= 500) return failure(answered, false);
    if (code >= 300 && code < 400) return failure(answered + " (redirects are not followed)", true);
    return failure(answered, true);  // 4xx: the gateway refuses this request as it is
}

}  // namespace vg::notify
