// Whose agenda a person may see in the organisation they work in: the one rule every console
// page (agenda, appointment page, supervision) applies to agents and their appointments.
//   - an agent: their own agent;
//   - a supervisor: the agents of the teams they supervise; a supervisor of no team sees
//     every agent of the organisation (small agencies have no teams: the supervisor is
//     everybody's);
//   - an administrator: every agent of the organisation.
// A person holding several roles sees the union. Read from the store, never cached: a team
// change applies to the next request.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace vg::app {

// Who is asking (the web layer's Staff says it: organisation, account, roles, agent).
struct ScopeSubject {
    core::Id organisation_id = 0;
    core::Id account_id = 0;
    std::vector<std::string> roles;    // in this organisation
    std::optional<core::Id> agent_id;  // the agent they are, when an agent
    bool has(const std::string& role) const;
};

// The ids of the agents of subject.organisation_id the subject may see, ascending.
std::vector<core::Id> visible_agents(store::Session& s, const ScopeSubject& subject);
std::vector<core::Id> visible_agents(store::Store& db, const ScopeSubject& subject);
// True when agent_id is among visible_agents (an agent of another organisation never is).
bool may_see_agent(store::Session& s, const ScopeSubject& subject, core::Id agent_id);

}  // namespace vg::app
