// Read-only API keys of an organisation (issue 14): `visioguichet apikey create` prints a key
// once; only its BLAKE2b hash is kept (migration 18); administrators revoke keys on the
// statistics page. The key's holder reads GET /api/v1/orgs/{org}/stats of that organisation
// only.
#pragma once

#include <optional>
#include <string>

#include "store/store.hpp"

namespace vg::app {

struct CreatedApiKey {
    store::ApiKey key;
    std::string secret;  // shown once, never stored
};

// Throws AccountError (no such organisation, empty or too long name); journalled in the
// change journal (object "api_key", without the key or its hash).
CreatedApiKey create_api_key(store::Store& db, const std::string& org_slug, const std::string& name,
                             const std::string& actor);
// The organisation whose live key this is; nullopt for an unknown or revoked key.
std::optional<core::Id> api_key_organisation(store::Store& db, const std::string& secret);
// False when the organisation has no such live key. Journalled.
bool revoke_api_key(store::Store& db, core::Id organisation_id, core::Id id,
                    const std::string& actor);

}  // namespace vg::app
