#include "stats/xlsx.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace vg::stats {

namespace {

void check(lxw_error e, const char* what) {
    if (e != LXW_NO_ERROR)
        throw std::runtime_error(std::string("xlsx: ") + what + ": " + lxw_strerror(e));
}

}  // namespace

XlsxWriter::XlsxWriter(const std::vector<std::string>& columns) {
    tmpdir_ = std::filesystem::temp_directory_path().string();
    auto& dir = tmpdir_;
    std::string tmpl = dir + "/visioguichet-export-XXXXXX";
    int fd = mkstemp(tmpl.data());
    if (fd < 0) throw std::runtime_error("xlsx: cannot create a temporary file in " + dir);
    close(fd);
    path_ = tmpl;
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    options.tmpdir = tmpdir_.data();
    workbook_ = workbook_new_opt(path_.c_str(), &options);
    if (!workbook_) {
        std::filesystem::remove(path_);
        throw std::runtime_error("xlsx: cannot create the workbook");
    }
    sheet_ = workbook_add_worksheet(workbook_, "statistics");
    header_ = workbook_add_format(workbook_);
    format_set_bold(header_);
    time_ = workbook_add_format(workbook_);
    format_set_num_format(time_, "yyyy-mm-dd hh:mm:ss");
    decimal_ = workbook_add_format(workbook_);
    format_set_num_format(decimal_, "0.00");
    for (lxw_col_t c = 0; c < columns.size(); ++c) {
        bool is_time = columns[c].ends_with("_at");
        worksheet_set_column(sheet_, c, c,
                             is_time ? 20 : double(std::max<size_t>(10, columns[c].size() + 2)),
                             nullptr);
        check(worksheet_write_string(sheet_, 0, c, columns[c].c_str(), header_), "header");
    }
    worksheet_freeze_panes(sheet_, 1, 0);
    row_ = 1;
}

XlsxWriter::~XlsxWriter() {
    if (workbook_) workbook_close(workbook_);
    if (!path_.empty()) {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
}

void XlsxWriter::add(const std::vector<Cell>& cells) {
    for (lxw_col_t c = 0; c < cells.size(); ++c) {
        auto& x = cells[c];
        switch (x.type) {
            case Cell::Type::blank:
                break;
            case Cell::Type::number:
                check(worksheet_write_number(sheet_, row_, c, x.number,
                                             x.decimals > 0 ? decimal_ : nullptr),
                      "number");
                break;
            case Cell::Type::time: {
                lxw_datetime t{x.local.year, x.local.month,  x.local.day,
                               x.local.hour, x.local.minute, double(x.second)};
                check(worksheet_write_datetime(sheet_, row_, c, &t, time_), "date");
                break;
            }
            case Cell::Type::text:
                // A string cell: never a formula, whatever it begins with.
                check(worksheet_write_string(sheet_, row_, c, x.text.c_str(), nullptr), "text");
                break;
        }
    }
    ++row_;
}

XlsxFile XlsxWriter::finish_file() {
    auto* w = workbook_;
    workbook_ = nullptr;
    check(workbook_close(w), "close");
    int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("xlsx: cannot read the file back");
    // Unlinked at once: the file goes with the descriptor, whatever happens next.
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    path_.clear();
    return XlsxFile(fd);
}

std::string XlsxWriter::finish() {
    return finish_file().bytes();
}

XlsxFile::~XlsxFile() {
    if (fd_ >= 0) ::close(fd_);
}

void XlsxFile::copy_to(const std::function<bool(std::string_view)>& out) const {
    std::string buffer(64 * 1024, '\0');
    for (off_t at = 0;;) {
        auto n = ::pread(fd_, buffer.data(), buffer.size(), at);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error("xlsx: cannot read the file back");
        if (n == 0) return;
        at += n;
        if (!out(std::string_view(buffer.data(), std::size_t(n)))) return;
    }
}

std::string XlsxFile::bytes() const {
    std::string all;
    copy_to([&](std::string_view b) {
        all.append(b);
        return true;
    });
    return all;
}

}  // namespace vg::stats
