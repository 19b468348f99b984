// Who belongs to an organisation, without the sign-in machinery (AccountService): the rules
// of an organisation's slug and the account of each agent. Used by the organisation import
// and the demo as well as by the accounts; the import's parser is fuzzed with this file alone.
#pragma once

#include <string>

#include "store/store.hpp"

namespace vg::app {

// Why a slug cannot name an organisation ("" when it can): lower-case letters, digits and
// '-', 1 to 64 characters, not a word of our own addresses (/login, /console, /api...).
std::string slug_problem(const std::string& slug);

// The agent becomes an account (found by e-mail, or created without password) holding the
// agent role in its organisation. Runs inside the caller's write (demo, import).
void link_agent_account(store::Session& s, const store::Agent& agent);

}  // namespace vg::app
