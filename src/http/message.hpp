// Framework-free request and response: handlers never include Beast (compile time, tests).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vg::http {

using Params = std::multimap<std::string, std::string>;

struct Request {
    std::string method;  // upper case
    std::string target;  // raw, with query
    std::string path;    // decoded path without query
    Params query;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string remote_ip;
    std::map<std::string, std::string> path_params;  // filled by the router
    std::string route;                               // route pattern, for logs

    const std::string* header(const std::string& lower_name) const;
    std::optional<std::string> q(const std::string& name) const;
    std::optional<std::string> path_param(const std::string& name) const;
    std::string cookie(const std::string& name) const;
};

// The body of a streamed answer as its producer writes it (Response::stream).
class BodyWriter {
  public:
    virtual ~BodyWriter() = default;
    // Appends bytes to the body. Waits while the bytes not yet sent reach a bound (a few
    // hundred KB: the client reads slower than the producer writes); false once the client is
    // gone (closed, write timeout, server stopping): the producer then returns at once.
    virtual bool write(std::string_view bytes) = 0;
};

// Writes a streamed body on a thread of its own (never an I/O thread), then returns. The
// status and headers go out with the first bytes: a producer that throws before any was sent
// gets a 500 (or the Refusal's answer) instead; one that throws later cuts the connection,
// the client sees an incomplete body.
using Producer = std::function<void(BodyWriter&)>;

struct Response {
    int status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // When set, the body (then unused) is this producer's, sent as it comes with chunked
    // transfer encoding (docs/ARCHITECTURE.md "Streamed answers"). HEAD does not run it.
    Producer stream;

    Response& header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    static Response text(int status, std::string body);
    static Response html(int status, std::string body);
    static Response json(int status, std::string body);
    static Response redirect(const std::string& location, int status = 303);
};

// Thrown by a Producer before its first byte: the client gets this answer instead of the
// streamed one (a download that could not be journalled).
struct Refusal : std::runtime_error {
    explicit Refusal(Response r) : std::runtime_error("refused"), response(std::move(r)) {}
    Response response;
};

// The language to answer in, among allowed (first = default; "fr" when empty): ?lang=, then
// the vg_lang cookie, then the first Accept-Language entry allowed (q=0 means "not this").
std::string negotiate_language(const Request& req, const std::vector<std::string>& allowed);

// Form and query decoding, shared by pages and API.
std::string url_decode(const std::string& s, bool plus_is_space);
std::string url_encode(const std::string& s);
// Encodes each path segment, keeping the slashes.
std::string url_encode_path(const std::string& path);
Params parse_urlencoded(const std::string& s);
std::string html_escape(const std::string& s);

}  // namespace vg::http
