// The API's JSON body reader and its typed field checks (api/json_io), then the citizen
// checks (core/citizen), as POST /api/v1/orgs/{org}/appointments applies them.
#include "api/json_io.hpp"
#include "core/citizen.hpp"
#include "core/timefmt.hpp"
#include "core/types.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vg;
    namespace d = api::detail;
    auto s = fuzz::text(data, size);
    (void)d::parse_id(s);
    (void)d::is_json_media_type(s);
    http::Request req;
    req.headers["content-type"] = "application/json";
    req.body = s;
    auto body = d::read_object(req, size % 2 == 0);
    if (body.status != d::JsonBody::Status::ok) {
        fuzz::check(!body.reason.empty() || body.status != d::JsonBody::Status::malformed,
                    "a refused body says why");
        return 0;
    }
    fuzz::check(body.value.is_object(), "the body is an object");
    const auto& j = body.value;
    core::FieldErrors typed;
    (void)d::member_id(j, "motif", "motif", typed);
    if (auto v = d::member_string(j, "channel", "channel", typed)) (void)core::parse_channel(*v);
    if (auto v = d::member_string(j, "start", "start", typed)) (void)core::parse_iso8601(*v);
    (void)d::member_id(j, "site", "site", typed);
    (void)d::member_bool(j, "accept_terms", "accept_terms", typed);
    (void)d::member_int(j, "terms_version", "terms_version", typed);
    static const d::json empty = d::json::object();
    const d::json* citizen = d::member_object(j, "citizen", "citizen", typed);
    if (!citizen) citizen = &empty;
    auto text = [&](const char* key) {
        return d::member_string(*citizen, key, std::string("citizen.") + key, typed).value_or("");
    };
    core::CitizenInput in{text("first_name"), text("last_name"), text("email"),
                          text("phone"),      text("language"),  text("beneficiary_number"),
                          text("needs")};
    auto errors = core::validate_citizen(in);
    if (errors.empty()) {
        fuzz::check(core::is_valid_utf8(in.first_name) && core::is_valid_utf8(in.last_name),
                    "accepted names are UTF-8");
        fuzz::check(in.email.find_first_of("\r\n") == std::string::npos &&
                        in.first_name.find_first_of("\r\n") == std::string::npos,
                    "no line break reaches a mail header");
    }
    // Answers are always serialisable, whatever the input held.
    (void)d::dump(j);
    return 0;
}
