// Log lines an operator can follow: the id of the request being handled on this thread in
// every line written meanwhile (the access log line too), answered in X-Request-Id; the
// format, text or JSON lines (`serve --log-format`). What goes into a line is the caller's
// business: route patterns, never paths (tokens), never a citizen's contact.
#pragma once

#include <string>
#include <string_view>

namespace vg::ops {

// The request handled on this thread ("" outside one).
const std::string& request_id();

// Sets request_id() for its lifetime (the handling of one request).
class RequestScope {
  public:
    explicit RequestScope(const std::string& id);
    ~RequestScope();
    RequestScope(const RequestScope&) = delete;
    RequestScope& operator=(const RequestScope&) = delete;

  private:
    std::string previous_;
};

// 16 hexadecimal characters, unique in the process and unlikely to meet another process's.
std::string new_request_id();
// The id a trusted proxy sent may be kept when it is 1-64 characters of [A-Za-z0-9._:-]
// (nothing that could forge a log line or a header).
bool acceptable_request_id(std::string_view id);

// "text" (spdlog's usual line, with the request id) or "json" (one object a line: time,
// level, request_id when there is one, message). Throws std::invalid_argument otherwise.
void set_log_format(const std::string& format);

}  // namespace vg::ops
