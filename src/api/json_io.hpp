// Strict JSON input for the API: media type, parsing and typed member access.
// Nothing here throws on bad input; errors come back as values.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/citizen.hpp"
#include "core/types.hpp"
#include "http/message.hpp"

namespace vg::api::detail {

using nlohmann::json;

// Deepest nesting accepted in a request body (a booking needs 2).
inline constexpr int kMaxDepth = 16;

// True for "application/json", with optional parameters, as long as a charset, if given, is
// UTF-8. Case-insensitive, as media types are.
bool is_json_media_type(const std::string& content_type);

struct JsonBody {
    enum class Status { ok, unsupported_media_type, malformed };
    Status status = Status::ok;
    json value = json::object();
    // For Status::malformed: what is wrong, in English, never echoing the input.
    std::string reason;
};

// Reads req.body as one JSON object: requires the JSON media type, rejects syntax errors,
// invalid UTF-8, duplicate keys, nesting deeper than kMaxDepth and non-object values.
// When empty_ok, an empty (or blank) body of any media type reads as {}.
JsonBody read_object(const http::Request& req, bool empty_ok = false);

// Typed members. Absent and null both read as nullopt; a value of another type records
// "error.invalid_type" under `field` in errors and reads as nullopt too.
std::optional<std::string> member_string(const json& obj, const char* key, const std::string& field,
                                         core::FieldErrors& errors);
// A strictly positive integer that fits an Id (no floats, no strings of digits).
std::optional<core::Id> member_id(const json& obj, const char* key, const std::string& field,
                                  core::FieldErrors& errors);
// Any integer within int range.
std::optional<int> member_int(const json& obj, const char* key, const std::string& field,
                              core::FieldErrors& errors);
std::optional<bool> member_bool(const json& obj, const char* key, const std::string& field,
                                core::FieldErrors& errors);
// Pointer to an object member, null when absent/null or of another type (then recorded).
const json* member_object(const json& obj, const char* key, const std::string& field,
                          core::FieldErrors& errors);

// "123" -> 123 for query parameters: digits only, no sign, > 0, fits an Id.
std::optional<core::Id> parse_id(const std::string& s);

// A required "YYYY-MM-DD" query parameter: nullopt, with "error.required" (missing or empty)
// or "error.invalid_date" recorded under `name` in errors, when it is not a date.
std::optional<core::LocalDay> required_day(const http::Request& req, const char* name,
                                           core::FieldErrors& errors);

// Serialises without ever throwing on invalid UTF-8 (replaced by U+FFFD).
std::string dump(const json& j);

}  // namespace vg::api::detail
