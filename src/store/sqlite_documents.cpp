// SQLite queries: the documents sent during a call (room_documents).
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

// Every read of documents: these columns of room_documents (as d), then WHERE ... (one shape).
#define SELECT_DOCUMENTS                                                                   \
    "SELECT d.id, d.organisation_id, d.appointment_id, d.sender, d.name, d.content_type, " \
    "d.size, d.file, d.sealed_key, d.created_at, d.delete_after, d.deleted_at "            \
    "FROM room_documents d "

namespace {

RoomDocument read_document(const Stmt& s) {
    RoomDocument d;
    d.id = s.i64(0);
    d.organisation_id = s.i64(1);
    d.appointment_id = s.i64(2);
    d.sender = s.text(3);
    d.name = s.text(4);
    d.content_type = s.text(5);
    d.size = s.i64(6);
    d.file = s.text(7);
    d.sealed_key = s.text(8);
    d.created_at = s.i64(9);
    d.delete_after = s.i64(10);
    d.deleted_at = s.opt_i64(11);
    return d;
}

std::vector<RoomDocument> document_rows(Stmt& s) {
    std::vector<RoomDocument> out;
    while (s.step()) out.push_back(read_document(s));
    return out;
}

}  // namespace

Id SqliteSession::insert_document(const RoomDocument& d) {
    auto s = c_.prepare(
        "INSERT INTO room_documents (organisation_id, appointment_id, sender, name, "
        "content_type, size, file, sealed_key, created_at, delete_after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    s.bind(1, d.organisation_id)
        .bind(2, d.appointment_id)
        .bind(3, d.sender)
        .bind(4, d.name)
        .bind(5, d.content_type)
        .bind(6, d.size)
        .bind(7, d.file)
        .bind(8, d.sealed_key)
        .bind(9, d.created_at)
        .bind(10, d.delete_after);
    s.step();
    Id id = s.i64(0);
    s.run();
    return id;
}

std::vector<RoomDocument> SqliteSession::documents(Id org, Id appointment) {
    auto s = c_.prepare(SELECT_DOCUMENTS
                        "WHERE d.organisation_id=? AND d.appointment_id=? ORDER BY d.id");
    s.bind(1, org).bind(2, appointment);
    return document_rows(s);
}

std::optional<RoomDocument> SqliteSession::document(Id org, Id id) {
    auto s = c_.prepare(SELECT_DOCUMENTS "WHERE d.organisation_id=? AND d.id=?");
    s.bind(1, org).bind(2, id);
    auto rows = document_rows(s);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

// Due: past the delete_after set at upload, or past the appointment's end plus the
// organisation's document_retention_days as it is now (a shortened period applies at once).
std::vector<RoomDocument> SqliteSession::documents_due(Instant now, int limit) {
    auto s = c_.prepare(SELECT_DOCUMENTS
                        "JOIN appointments a ON a.id = d.appointment_id "
                        "JOIN organisations o ON o.id = d.organisation_id "
                        "WHERE d.deleted_at IS NULL AND (d.delete_after <= ? OR "
                        "a.ends_at + o.document_retention_days * 86400 <= ?) "
                        "ORDER BY d.delete_after, d.id LIMIT ?");
    s.bind(1, now).bind(2, now).bind(3, limit);
    return document_rows(s);
}


bool SqliteSession::mark_document_deleted(Id org, Id id, Instant at) {
    auto s = c_.prepare(
        "UPDATE room_documents SET sealed_key='', deleted_at=? "
        "WHERE organisation_id=? AND id=? AND deleted_at IS NULL");
    s.bind(1, at).bind(2, org).bind(3, id);
    s.run();
    return c_.changes() > 0;
}

#undef SELECT_DOCUMENTS

}  // namespace vg::store::sqlite
