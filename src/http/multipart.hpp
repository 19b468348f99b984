// multipart/form-data (RFC 7578) bodies, as browsers send a form with a file: small and
// bounded (parts, header bytes), fuzzed by tests/fuzz/multipart.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vg::http {

struct FormPart {
    std::string name;
    std::string filename;      // "" for a plain field
    std::string content_type;  // as the client said (never trusted for files)
    std::string data;
};

// The parts of `body` when content_type is multipart/form-data with a boundary; nullopt when
// it is not, when the body is malformed (no closing delimiter, a part without a name...) or
// has more than max_parts parts, or a part's headers exceed 2 KiB.
std::optional<std::vector<FormPart>> parse_multipart(const std::string& content_type,
                                                     const std::string& body,
                                                     std::size_t max_parts = 16);

}  // namespace vg::http
