// EngineImpl: ties the store, the graph and the rules together.
//
// A mutation: plan against the graph (rules.cc) -> commit the plan to the
// store in one transaction -> apply the same ops to the graph. A check:
// read the graph under a shared lock. See docs/architecture.md.
#include "toegang/engine.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <thread>

#include "catalogue.h"
#include "csv_reader.h"
#include "delegation_graph.h"
#include "explain.h"
#include "graph_dot.h"
#include "import_rows.h"
#include "listings.h"
#include "rules.h"
#include "sqlite_store.h"
#include "time_util.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"

namespace toegang {
namespace {

// How often Apply plans again after another process committed first.
constexpr int kMaxStaleRetries = 5;

class EngineImpl : public Engine {
 public:
  explicit EngineImpl(std::unique_ptr<SqliteStore> store)
      : store_(std::move(store)) {}

  ~EngineImpl() override {
    if (follower_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(follow_mu_);
        stopping_ = true;
      }
      follow_cv_.notify_all();
      follower_.join();
    }
  }

  Status Init(const OpenOptions& options) {
    Status s = store_->LoadCatalogue(&catalogue_);
    if (!s.ok()) return s;
    s = Reload();
    if (!s.ok()) return s;
    if (options.follow_interval.count() > 0) {
      follower_ = std::thread([this, every = options.follow_interval] {
        Follow(every);
      });
    }
    return Status::Ok();
  }

  Result<CommitInfo> Apply(const Mutation& m) override {
    std::lock_guard<std::mutex> writer(write_mu_);
    for (int attempt = 0; attempt <= kMaxStaleRetries; ++attempt) {
      Status fresh = CatchUpLocked();
      if (!fresh.ok()) return fresh;
      Result<int64_t> next_id = store_->NextSubafdelingId();
      if (!next_id.ok()) return next_id.status();
      // Only this thread changes the graph (write_mu_), so reading it here
      // needs no shared lock.
      Plan plan = PlanMutation(*graph_, m, NowSeconds(), *next_id);
      if (!plan.status.ok()) {
        if (plan.status.kind() == Status::Kind::kRefused) {
          AuditRecord r;
          r.actor = plan.actor;
          r.action = std::string(ActionName(m.action));
          r.kbo = plan.kbo;
          r.code = plan.status.code();
          r.message = plan.status.message();
          r.detail = RequestJson(m);
          Status logged = store_->RecordRefusal(r);
          if (!logged.ok()) return logged;
        }
        return plan.status;
      }
      Status s = store_->Commit(&plan.changes, revision_);
      if (s.code() == kStaleRevision) continue;  // someone else went first
      if (!s.ok()) return s;
      CommitInfo info;
      info.revision = plan.changes.revision;
      // The mutation itself first (see CommitInfo), then what it caused.
      // The ops are in store order, where a removal comes after the
      // revocations and removals it causes.
      const std::vector<Op>& ops = plan.changes.ops;
      auto own = std::find_if(ops.begin(), ops.end(), [&](const Op& op) {
        return op.kind == m.action && op.cause.empty();
      });
      if (own != ops.end()) info.changes.push_back(OpSummary(*own, catalogue_));
      for (auto it = ops.begin(); it != ops.end(); ++it) {
        if (it != own) info.changes.push_back(OpSummary(*it, catalogue_));
      }
      {
        std::unique_lock<std::shared_mutex> lock(mu_);
        graph_->ApplyAll(plan.changes);
        revision_ = plan.changes.revision;
      }
      return info;
    }
    return Status::Storage(code::kStorageError,
                           "other processes kept committing; try again");
  }

  Status May(const Mutation& m) const override {
    std::shared_lock<std::shared_mutex> lock(mu_);
    return PlanMutation(*graph_, m, NowSeconds(),
                        graph_->max_subafdeling_id() + 1)
        .status;
  }

  Result<Decision> Check(std::string_view insz, std::string_view application,
                         std::string_view hco) const override {
    Result<Question> q = ParseQuestion(insz, application, hco);
    if (!q.ok()) return q.status();
    std::shared_lock<std::shared_mutex> lock(mu_);
    Decision d;
    d.revision = revision_;
    Vertex only = kNoVertex;
    if (!q->hco.empty()) {
      only = graph_->FindFacility(q->hco);
      if (only == kNoVertex) return d;  // unknown facility: denied
    }
    d.facilities = graph_->GrantingFacilities(q->insz, q->app, only);
    d.allowed = !d.facilities.empty();
    return d;
  }

  Result<Explanation> Explain(std::string_view insz,
                              std::string_view application,
                              std::string_view hco, Lang lang) const override {
    Result<Question> q = ParseQuestion(insz, application, hco);
    if (!q.ok()) return q.status();
    std::shared_lock<std::shared_mutex> lock(mu_);
    return ExplainDecision(*graph_, q->insz, q->app, q->hco, lang, revision_);
  }

  Result<Page<AccessEntry>> Access(std::string_view insz,
                                   const PageRequest& page) const override {
    Result<Insz> person = Insz::Parse(insz);
    if (!person.ok()) return person.status();
    Status p = CheckPage(page);
    if (!p.ok()) return p;
    std::shared_lock<std::shared_mutex> lock(mu_);
    return ListAccess(*graph_, person->value(), page, revision_);
  }

  Result<Page<UserEntry>> Users(std::string_view hco,
                                std::string_view application,
                                const PageRequest& page) const override {
    Result<Hco> h = Hco::Parse(hco);
    if (!h.ok()) return h.status();
    std::optional<AppId> app;
    if (!application.empty()) {
      Result<AppId> a = catalogue_.FindApplication(application);
      if (!a.ok()) return a.status();
      app = *a;
    }
    Status p = CheckPage(page);
    if (!p.ok()) return p;
    std::shared_lock<std::shared_mutex> lock(mu_);
    return ListUsers(*graph_, h->str(), app, page, revision_);
  }

  Result<Page<ManagedEntry>> ManagedBy(std::string_view insz,
                                       const PageRequest& page) const override {
    Result<Insz> person = Insz::Parse(insz);
    if (!person.ok()) return person.status();
    Status p = CheckPage(page);
    if (!p.ok()) return p;
    std::shared_lock<std::shared_mutex> lock(mu_);
    return ListManagedBy(*graph_, person->value(), page, revision_);
  }

  Result<WhoReport> Who(std::string_view kbo) const override {
    Result<Kbo> k = Kbo::Parse(kbo);
    if (!k.ok()) return k.status();
    std::shared_lock<std::shared_mutex> lock(mu_);
    return DescribeEnterprise(*graph_, k->value(), revision_);
  }

  Result<std::string> GraphDot(std::string_view kbo) const override {
    Result<Kbo> k = Kbo::Parse(kbo);
    if (!k.ok()) return k.status();
    std::shared_lock<std::shared_mutex> lock(mu_);
    Vertex e = graph_->FindEnterprise(k->value());
    if (e == kNoVertex) {
      return Status::Refused(code::kEnterpriseUnknown,
                             fmt::format("enterprise {} is not in the KBO "
                                         "registry",
                                         k->Display()));
    }
    return EnterpriseDot(*graph_, e);
  }

  Status ImportKbo(const std::string& enterprises_csv,
                   const std::string& denominations_csv,
                   const ImportOptions& options,
                   ImportReport* report) override {
    return RunImport(
        "import.kbo", options, report, [&](ImportSession& session) -> Status {
          Status s = ReadCsv(
              enterprises_csv, options, report,
              [](const Fields& f) { return CheckEnterpriseHeader(f); },
              [&](const Fields& f) -> Result<ImportSession::Put> {
                Result<EnterpriseRow> row = ParseEnterpriseRow(f);
                if (!row.ok()) return row.status();
                return session.PutEnterprise(*row);
              });
          if (!s.ok() || denominations_csv.empty()) return s;
          s = ReadCsv(
              denominations_csv, options, report,
              [](const Fields& f) { return CheckDenominationHeader(f); },
              [&](const Fields& f) -> Result<ImportSession::Put> {
                Result<DenominationRow> row = ParseDenominationRow(f);
                if (!row.ok()) return row.status();
                return session.PutDenomination(*row);
              });
          if (!s.ok()) return s;
          Result<size_t> renamed = session.FinishDenominations();
          if (!renamed.ok()) return renamed.status();
          // Each renamed enterprise was counted as an unchanged name row.
          report->unchanged -= std::min(report->unchanged, *renamed);
          report->updated += *renamed;
          return Status::Ok();
        });
  }

  Status ImportPersons(const std::string& csv, const ImportOptions& options,
                       ImportReport* report) override {
    return ImportOneFile("import.persons", csv, options, report,
                         IsPersonsHeader, ParsePersonRow,
                         &ImportSession::PutPerson);
  }

  Status ImportFunctions(const std::string& csv, const ImportOptions& options,
                         ImportReport* report) override {
    return ImportOneFile("import.functions", csv, options, report,
                         IsFunctionsHeader, ParseFunctionRow,
                         &ImportSession::PutFunction);
  }

  Status ImportFacilities(const std::string& csv, const ImportOptions& options,
                          ImportReport* report) override {
    return ImportOneFile("import.facilities", csv, options, report,
                         IsFacilitiesHeader, ParseFacilityRow,
                         &ImportSession::PutFacility);
  }

  Result<std::vector<AuditRecord>> Audit(
      const AuditQuery& query) const override {
    AuditQuery q = query;
    if (!q.kbo.empty()) {
      Result<Kbo> k = Kbo::Parse(q.kbo);
      if (!k.ok()) return k.status();
      q.kbo = k->ToString();
    }
    std::lock_guard<std::mutex> writer(write_mu_);
    return store_->ReadAudit(q);
  }

  Result<std::vector<std::string>> Verify() const override {
    std::lock_guard<std::mutex> writer(write_mu_);
    Result<std::vector<std::string>> storage = store_->CheckIntegrity();
    if (!storage.ok()) return storage.status();
    std::vector<std::string> problems = *storage;
    for (const std::string& p : graph_->CheckInvariants()) {
      problems.push_back("graph: " + p);
    }
    // The graph in memory must equal one freshly loaded from the database.
    auto fresh = std::make_unique<DelegationGraph>(&catalogue_);
    Result<uint64_t> rev = store_->Load(fresh.get());
    if (!rev.ok()) return rev.status();
    if (*rev == revision_) {
      std::vector<std::string> mine = graph_->Dump();
      std::vector<std::string> theirs = fresh->Dump();
      if (mine != theirs) {
        problems.push_back(fmt::format(
            "the in-memory graph ({} facts) differs from the database ({} "
            "facts)",
            mine.size(), theirs.size()));
      }
    }
    for (const std::string& p : fresh->CheckInvariants()) {
      problems.push_back("database: " + p);
    }
    return problems;
  }

  Result<Stats> GetStats() const override {
    std::lock_guard<std::mutex> writer(write_mu_);
    Result<StoreCounts> c = store_->Counts();
    if (!c.ok()) return c.status();
    Stats s;
    s.enterprises = c->enterprises;
    s.active_enterprises = c->active_enterprises;
    s.persons = c->persons;
    s.facilities = c->facilities;
    s.htbs = c->htbs;
    s.domain_managers = c->domain_managers;
    s.subafdelingen = c->subafdelingen;
    s.users = c->users;
    s.rights = c->rights;
    s.audit_rows = c->audit_rows;
    std::shared_lock<std::shared_mutex> lock(mu_);
    s.revision = revision_;
    s.graph_vertices = boost::num_vertices(graph_->graph());
    s.graph_edges = boost::num_edges(graph_->graph());
    return s;
  }

  uint64_t revision() const override {
    std::shared_lock<std::shared_mutex> lock(mu_);
    return revision_;
  }

  Status Refresh() override {
    std::lock_guard<std::mutex> writer(write_mu_);
    return CatchUpLocked();
  }

  FollowState follow_state() const override {
    std::lock_guard<std::mutex> lock(follow_mu_);
    FollowState f = follow_;
    f.revision = revision();
    return f;
  }

  Status CatchUp(uint64_t revision, std::chrono::milliseconds bound) override {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    for (;;) {
      {
        std::lock_guard<std::mutex> writer(write_mu_);
        Status s = CatchUpLocked();
        if (!s.ok()) return s;
        if (revision_ >= revision) return Status::Ok();
      }
      if (std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return Status::Storage(
        code::kRevisionNotReached,
        fmt::format("the database is at revision {}, not yet at {}, after "
                    "waiting {} ms; the change waited for has not been "
                    "committed",
                    this->revision(), revision, bound.count()));
  }

 private:
  // The validated inputs of check and explain.
  struct Question {
    uint64_t insz = 0;
    AppId app = 0;
    std::string hco;  // canonical, or empty
  };
  Result<Question> ParseQuestion(std::string_view insz,
                                 std::string_view application,
                                 std::string_view hco) const {
    Result<Insz> person = Insz::Parse(insz);
    if (!person.ok()) return person.status();
    Result<AppId> app = catalogue_.FindApplication(application);
    if (!app.ok()) return app.status();
    Question q{person->value(), *app, {}};
    if (!hco.empty()) {
      Result<Hco> h = Hco::Parse(hco);
      if (!h.ok()) return h.status();
      q.hco = h->str();
    }
    return q;
  }

  static Status CheckPage(const PageRequest& page) {
    if (page.limit == 0 || page.limit > 10000) {
      return Status::InvalidInput(code::kUsage,
                                  "a page holds 1 to 10000 entries (--limit)");
    }
    return Status::Ok();
  }

  using HeaderFn = std::function<Status(const Fields&)>;
  using RowFn = std::function<Result<ImportSession::Put>(const Fields&)>;

  // A header that may be left out: a first record that is not one is data.
  // Returns a sentinel code "data" for the latter.
  static HeaderFn OptionalHeader(bool (*is_header)(const Fields&)) {
    return [is_header](const Fields& f) {
      return is_header(f) ? Status::Ok()
                          : Status::InvalidInput("data", "first row is data");
    };
  }

  // Loads the whole federation again from the database (after an import,
  // or when another process committed). Readers keep the old graph until
  // the new one is swapped in.
  Status Reload() {
    auto fresh = std::make_unique<DelegationGraph>(&catalogue_);
    Result<uint64_t> rev = store_->Load(fresh.get());
    if (!rev.ok()) return rev.status();
    std::unique_lock<std::shared_mutex> lock(mu_);
    graph_ = std::move(fresh);
    revision_ = *rev;
    return Status::Ok();
  }

  Status CatchUpLocked() {
    Result<uint64_t> stored = store_->CurrentRevision();
    Status s = stored.ok() ? Status::Ok() : stored.status();
    const bool behind = stored.ok() && *stored != revision_;
    if (behind) s = Reload();
    std::lock_guard<std::mutex> lock(follow_mu_);
    follow_.last_catch_up_ms = NowMillis();
    if (!s.ok()) {
      ++follow_.failures;
      follow_.last_error = s.message();
    } else if (behind) {
      ++follow_.catch_ups;
    }
    return s;
  }

  // The follower thread: catches up every `every` until the engine closes.
  void Follow(std::chrono::milliseconds every) {
    std::unique_lock<std::mutex> lock(follow_mu_);
    while (!follow_cv_.wait_for(lock, every, [this] { return stopping_; })) {
      lock.unlock();
      {
        std::lock_guard<std::mutex> writer(write_mu_);
        (void)CatchUpLocked();  // a failure is counted in follow_
      }
      lock.lock();
    }
  }

  // One CSV file with an optional header, parsed by parse and written by
  // put: the persons, functions and facilities imports.
  template <typename Row>
  Status ImportOneFile(
      std::string_view action, const std::string& csv,
      const ImportOptions& options, ImportReport* report,
      bool (*is_header)(const Fields&), Result<Row> (*parse)(const Fields&),
      Result<ImportSession::Put> (ImportSession::*put)(const Row&)) {
    return RunImport(action, options, report, [&](ImportSession& session) {
      return ReadCsv(csv, options, report, OptionalHeader(is_header),
                     [&](const Fields& f) -> Result<ImportSession::Put> {
                       Result<Row> row = parse(f);
                       if (!row.ok()) return row.status();
                       return (session.*put)(*row);
                     });
    });
  }

  template <typename Body>
  Status RunImport(std::string_view action, const ImportOptions& options,
                   ImportReport* report, Body body) {
    *report = ImportReport();
    std::lock_guard<std::mutex> writer(write_mu_);
    Status fresh = CatchUpLocked();
    if (!fresh.ok()) return fresh;
    Result<std::unique_ptr<ImportSession>> begun = store_->BeginImport();
    if (!begun.ok()) return begun.status();
    std::unique_ptr<ImportSession> session = std::move(begun).value();
    Status s = body(*session);
    if (s.ok() && report->invalid > 0 && !options.skip_invalid) {
      s = Status::InvalidInput(
          code::kImportRejected,
          fmt::format("{} of {} rows are invalid, so nothing was imported; "
                      "fix them, or load the good rows with --skip-invalid",
                      report->invalid, report->rows));
    }
    if (!s.ok()) {
      session.reset();  // roll back before recording the refusal
      // Nothing was kept: the report says so, but keeps the bad rows.
      report->inserted = report->updated = report->unchanged = 0;
      if (s.code() == code::kImportRejected) {
        AuditRecord r;
        r.action = std::string(action);
        r.code = s.code();
        r.message = s.message();
        r.detail =
            nlohmann::json{{"rows", report->rows}, {"invalid", report->invalid}}
                .dump();
        Status logged = store_->RecordRefusal(r);
        if (!logged.ok()) return logged;
      }
      return s;
    }
    nlohmann::json detail = {
        {"rows", report->rows},       {"inserted", report->inserted},
        {"updated", report->updated}, {"unchanged", report->unchanged},
        {"ignored", report->ignored}, {"invalid", report->invalid}};
    const bool changed = report->inserted + report->updated > 0;
    Result<uint64_t> rev = session->Commit(
        std::string(action), detail.dump(),
        fmt::format("{}: {} inserted, {} updated, {} unchanged, {} skipped as "
                    "invalid",
                    action, report->inserted, report->updated,
                    report->unchanged, report->invalid),
        changed);
    if (!rev.ok()) return rev.status();
    report->revision = *rev;
    session.reset();
    return changed ? Reload() : Status::Ok();
  }

  // Streams one CSV file through row, recording bad rows in *report.
  Status ReadCsv(const std::string& path, const ImportOptions& options,
                 ImportReport* report, const HeaderFn& header,
                 const RowFn& row) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return Status::Storage(
          code::kIoError,
          fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    }
    struct stat st {};
    const uint64_t total =
        ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
    CsvReader reader(in);
    Fields fields;
    std::string error;
    bool first = true;
    auto bad = [&](size_t line, std::string_view c, std::string msg) {
      ++report->invalid;
      if (report->errors.size() < ImportReport::kMaxListedErrors) {
        report->errors.push_back(
            RowError{path, line, std::string(c), std::move(msg)});
      }
    };
    for (;;) {
      CsvReader::Outcome o = reader.Next(&fields, &error);
      if (o == CsvReader::Outcome::kEnd) break;
      if (o == CsvReader::Outcome::kError) {
        ++report->rows;
        bad(reader.line(), code::kInvalidRow, error);
        first = false;
        continue;
      }
      if (first) {
        first = false;
        Status h = header(fields);
        if (h.ok()) continue;
        if (h.code() != "data") {
          // A wrong header means the file is not what it claims to be.
          bad(reader.line(), h.code(), h.message());
          return Status::InvalidInput(
              code::kImportRejected,
              fmt::format("{}: {}; nothing was imported", path, h.message()));
        }
      }
      ++report->rows;
      Result<ImportSession::Put> put = row(fields);
      if (!put.ok()) {
        if (put.status().kind() == Status::Kind::kStorage) return put.status();
        bad(reader.line(), put.status().code(), put.status().message());
        continue;
      }
      switch (*put) {
        case ImportSession::Put::kInserted:
          ++report->inserted;
          break;
        case ImportSession::Put::kUpdated:
          ++report->updated;
          break;
        case ImportSession::Put::kUnchanged:
          ++report->unchanged;
          break;
        case ImportSession::Put::kIgnored:
          ++report->ignored;
          break;
      }
      if (options.progress && (report->rows & 0xffff) == 0) {
        options.progress(reader.bytes_read(), total);
      }
    }
    if (in.bad()) {
      return Status::Storage(code::kIoError,
                             fmt::format("reading {} failed after line {}; "
                                         "nothing was imported",
                                         path, reader.line()));
    }
    if (first) {
      bad(1, code::kInvalidRow, "the file is empty");
      return Status::InvalidInput(
          code::kImportRejected,
          fmt::format("{} is empty; nothing was imported", path));
    }
    if (options.progress) options.progress(reader.bytes_read(), total);
    return Status::Ok();
  }

  static std::string RequestJson(const Mutation& m) {
    nlohmann::json j;
    auto put = [&](const char* k, const std::string& v) {
      if (!v.empty()) j[k] = v;
    };
    put("kbo", m.kbo);
    put("hoedanigheid", m.capacity);
    put("subdivisie", m.subdivision);
    put("hco", m.hco);
    put("insz", m.insz);
    if (!m.applications.empty()) j["apps"] = m.applications;
    if (!m.managers.empty()) j["beheerders"] = m.managers;
    return j.is_null() ? "{}"
                       : j.dump(-1, ' ', false,
                                nlohmann::json::error_handler_t::replace);
  }

  std::unique_ptr<SqliteStore> store_;  // guarded by write_mu_
  Catalogue catalogue_;                 // immutable after Init

  // Serializes writers (mutations, imports, reloads) and every use of
  // store_. Lock order: write_mu_ before mu_.
  mutable std::mutex write_mu_;
  // Guards graph_ and revision_: shared for queries, exclusive for the
  // short moment a writer applies a change or swaps in a reloaded graph.
  mutable std::shared_mutex mu_;
  std::unique_ptr<DelegationGraph> graph_;
  uint64_t revision_ = 0;

  // The follower (OpenOptions::follow_interval) and its bookkeeping.
  // Lock order: write_mu_ before follow_mu_.
  mutable std::mutex follow_mu_;
  std::condition_variable follow_cv_;
  bool stopping_ = false;
  FollowState follow_;
  std::thread follower_;
};

}  // namespace

Result<std::unique_ptr<Engine>> Engine::Open(const std::string& path,
                                             const OpenOptions& options) {
  Result<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(path, options.create_if_missing);
  if (!store.ok()) return store.status();
  auto engine = std::make_unique<EngineImpl>(std::move(store).value());
  Status s = engine->Init(options);
  if (!s.ok()) return s;
  return std::unique_ptr<Engine>(std::move(engine));
}

}  // namespace toegang
