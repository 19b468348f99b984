// Documents in the video room (issue 13; docs/VIDEO.md, "Documents"): the citizen's upload
// POST /room/{token}/documents, the holding agent's download
// GET /console/appointments/{id}/documents/{doc}, and the list shown to that agent. The rules
// are app::RoomDocuments'; these handlers only speak HTTP.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "app/context.hpp"
#include "http/router.hpp"
#include "web/page.hpp"
#include "web/staff_gate.hpp"

namespace vg::web {

// POST /room/{token}/documents (register_room_routes calls it).
void register_room_document_routes(http::Router& router, app::Context& ctx);
// The download (register_room_console_routes calls it).
void register_room_document_console_routes(http::Router& router,
                                           const std::shared_ptr<StaffGate>& gate);

// The body limit of a request (ServerOptions::body_limit_for): the document upload may reach
// 10 MiB and its form's other fields; every other request keeps `normal`.
std::size_t room_document_body_limit(const std::string& method, const std::string& target,
                                     std::size_t normal);
// The answer to a body over its limit (ServerOptions::too_large): for the document upload,
// the room's "too large" message in the sender's language (JSON when asked); otherwise the
// server's plain text.
http::Response body_too_large(app::Context& ctx, http::Request& req);

// The appointment's documents (name, size, time, download link) for the page of the agent
// who holds it: page data "room_documents" and "has_room_documents" (room/_documents).
void add_room_documents(Page& page, app::Context& ctx, const app::OrgData& org,
                        const store::Appointment& a);

}  // namespace vg::web
