#include "app/api_keys.hpp"

#include <nlohmann/json.hpp>

#include "app/accounts.hpp"
#include "app/tokens.hpp"
#include "core/citizen.hpp"

namespace vg::app {

namespace {
constexpr const char* kPrefix = "vgs_";
}

CreatedApiKey create_api_key(store::Store& db, const std::string& org_slug, const std::string& name,
                             const std::string& actor) {
    auto clean = core::trim(name);
    if (clean.empty() || clean.size() > 100)
        throw AccountError("stats.error.key_name", "the key needs a name of 1 to 100 characters");
    CreatedApiKey out;
    out.secret = kPrefix + new_token();
    db.write([&](store::Session& s) {
        auto org = s.organisation_by_slug(org_slug);
        if (!org)
            throw AccountError("error.unknown_organisation", "no organisation '" + org_slug + "'");
        out.key.organisation_id = org->id;
        out.key.name = clean;
        out.key.key_hash = hash_token(out.secret);
        out.key.id = s.insert_api_key(out.key);
        s.add_change({0, org->id, 0, actor, "api_key", out.key.id, "create", "{}",
                      nlohmann::json({{"name", clean}, {"scope", out.key.scope}}).dump()});
    });
    return out;
}

std::optional<core::Id> api_key_organisation(store::Store& db, const std::string& secret) {
    if (secret.rfind(kPrefix, 0) != 0 || !looks_like_token(secret.substr(4))) return std::nullopt;
    std::optional<core::Id> org;
    db.read([&](store::Session& s) {
        auto k = s.api_key_by_hash(hash_token(secret));
        if (k && !k->revoked_at) org = k->organisation_id;
    });
    return org;
}

bool revoke_api_key(store::Store& db, core::Id organisation_id, core::Id id,
                    const std::string& actor) {
    bool done = false;
    db.write([&](store::Session& s) {
        for (auto& k : s.api_keys(organisation_id))
            if (k.id == id && !k.revoked_at) {
                done = s.revoke_api_key(organisation_id, id);
                s.add_change({0, organisation_id, 0, actor, "api_key", id, "delete",
                              nlohmann::json({{"name", k.name}}).dump(), "{}"});
            }
    });
    return done;
}

}  // namespace vg::app
