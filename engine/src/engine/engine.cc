// EngineImpl: ties the store, the graph and the rules together.
//
// A mutation: plan against the graph (rules.cc) -> commit the plan to the
// store in one transaction -> apply the same ops to both instances of the
// model (left_right.h). A query reads the instance the writer is not
// touching, without a lock. Until the model is loaded after opening, checks
// may read a mapped index snapshot (index_snapshot.h). See
// docs/architecture.md.
#include "toegang/engine.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <type_traits>

#include "model/catalogue.h"
#include "base/csv_reader.h"
#include "base/exception_boundary.h"
#include "graph/delegation_graph.h"
#include "engine/guarded_engine.h"
#include "rules/explain.h"
#include "import/extract_source.h"
#include "graph/frozen_store.h"
#include "rules/graph_dot.h"
#include "base/huge_pages.h"
#include "import/import_impact.h"
#include "import/import_rows.h"
#include "check/index_snapshot.h"
#include "base/keyed_hash.h"
#include "base/left_right.h"
#include "rules/listings.h"
#include "rules/rules.h"
#include "store/sqlite_store.h"
#include "model/text_forms.h"
#include "base/time_util.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"

namespace toegang {
namespace {

// What queries read: the graph (with its check index) and the revision it
// reflects. Two copies live in a LeftRight.
struct Model {
  DelegationGraph graph;
  uint64_t revision = 0;
};
using ModelPtr = std::unique_ptr<Model>;

// Whether path names a database file (not memory, not a URI).
bool IsFilePath(const std::string& path) {
  return !path.empty() && path != ":memory:" && !path.starts_with("file:");
}

// A database file's path made absolute at opening, so that the files the
// engine makes beside it later (the index snapshot, the mapped bases) go
// beside it even if the process has changed its working directory since.
// An in-memory database, a URI or a path that cannot be resolved stays as
// it is.
std::string Anchored(const std::string& path) {
  if (!IsFilePath(path)) return path;
  std::error_code ec;
  std::filesystem::path file = std::filesystem::absolute(path, ec);
  return ec ? path : file.string();
}

// Where a long-running engine's compacted bases go (OpenOptions::
// map_bases): an unnamed file beside the database, or the heap for an
// in-memory database or a URI.
FrozenStore BaseStoreFor(const std::string& path, const OpenOptions& options) {
  if (!options.map_bases || !IsFilePath(path)) return FrozenStore::Heap();
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  return FrozenStore::InDirectory(dir.empty() ? "." : dir.string());
}

class EngineImpl : public Engine {
 public:
  EngineImpl(std::unique_ptr<SqliteStore> store, const std::string& path,
             const OpenOptions& options)
      : store_(std::move(store)),
        path_(Anchored(path)),
        options_(options),
        lazy_(options.one_shot && options.follow_interval.count() == 0),
        // An in-memory database has no directory for a snapshot, and
        // nothing survives it to start from one.
        snapshots_(options.index_snapshot && IsFilePath(path_)),
        base_store_(BaseStoreFor(path_, options)) {}

  ~EngineImpl() override {
    {
      std::lock_guard<std::mutex> lock(follow_mu_);
      stopping_ = true;
    }
    follow_cv_.notify_all();
    if (watcher_.joinable()) watcher_.join();
    if (background_.joinable()) background_.join();
    // The follower may have taken the twin; with it gone, twin_ is ours.
    if (twin_.valid()) twin_.wait();  // the copy reads the model
    // Leave a current snapshot for the next start (a cache: errors are
    // ignored).
    if (model_ready_.load()) {
      (void)CatchAll("writing the index snapshot", [&] {
        WriteSnapshot(/*only_if_stale=*/!snapshot_due_);
        return Status::Ok();
      });
    }
  }

  Status Init() {
    Status s = store_->LoadCatalogue(&catalogue_);
    if (!s.ok()) return s;
    if (snapshots_) StartFromSnapshot();
    if (watch_ != nullptr) {
      const uint64_t at = startup_->stamp().revision;
      watcher_ = std::thread([this, at] { WatchSnapshot(at); });
    }
    if (startup_ == nullptr) {
      std::lock_guard<std::mutex> writer(write_mu_);
      s = ModelLocked();
      if (!s.ok()) return s;
    }
    if (!lazy_ && (startup_ != nullptr ||
                   options_.follow_interval.count() > 0 || KeepsSnapshot())) {
      background_ = std::thread([this] { Background(); });
    }
    return Status::Ok();
  }

  Result<CommitInfo> Apply(const Mutation& m) override {
    // Refused before anything is loaded, planned or recorded.
    if (store_->read_only()) return store_->ReadOnlyRefusal("a change");
    std::lock_guard<std::mutex> writer(write_mu_);
    // The model and its second instance first, so that a first load does
    // not hold the database's write lock.
    Status ready = ModelLocked();
    if (!ready.ok()) return ready;
    TwinReady();
    // Then plan and commit under the database's write lock: no other
    // process can commit between the catch-up and the commit, so a busy
    // writer elsewhere cannot starve this one (it waits its turn, up to the
    // store's busy timeout).
    Result<std::unique_ptr<WriteLock>> lock = store_->BeginWrite();
    if (!lock.ok()) return lock.status();
    Status fresh = CatchUpLocked();
    if (!fresh.ok()) return fresh;
    Result<int64_t> next_id = store_->NextSubafdelingId();
    if (!next_id.ok()) return next_id.status();
    // Only this thread changes the model (write_mu_), so it may read it
    // without announcing itself.
    Plan plan = PlanMutation(Writer().graph, m, NowSeconds(), *next_id);
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
        if (logged.ok()) logged = (*lock)->Commit();
        if (!logged.ok()) return logged;
      }
      return plan.status;
    }
    Status s = store_->Commit(&plan.changes, Writer().revision);
    if (s.code() == kStaleRevision) {
      return Status::Storage(
          code::kStorageError,
          fmt::format("the database does not hold what this engine loaded "
                      "({}); was it edited with another tool? Run `toegang "
                      "verify`, delete the -index file and try again",
                      s.message()));
    }
    if (s.ok()) s = (*lock)->Commit();
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
    Publish({plan.changes});
    return info;
  }

  Status May(const Mutation& m) const override {
    Status ready = ModelForQuery();
    if (!ready.ok()) return ready;
    return model_->Read([&](const ModelPtr& model) {
      return PlanMutation(model->graph, m, NowSeconds(),
                          model->graph.max_subafdeling_id() + 1)
          .status;
    });
  }

  Result<Decision> Check(std::string_view insz, std::string_view application,
                         std::string_view hco) const override {
    // One pass over the index; a denial allocates nothing.
    auto ask = [&](const auto& index, uint64_t revision, auto find_facility,
                   auto granting) -> Result<Decision> {
      Result<Question> q = ParseQuestionAt(index, insz, application, hco);
      if (!q.ok()) return q.status();
      Decision d;
      d.revision = revision;
      uint32_t only = CheckIndex::kAnyFacility;
      if (!q->hco.empty()) {
        std::optional<uint32_t> f = find_facility(q->hco);
        if (!f) return d;  // unknown facility: denied
        only = *f;
      }
      d.facilities = granting(q->insz, q->app, only);
      d.allowed = !d.facilities.empty();
      return d;
    };
    return Decide(
        insz, application, hco,
        [&](const MappedCheckIndex& index) {
          return ask(
              index, index.stamp().revision,
              [&](const std::string& h) { return index.FindFacility(h); },
              [&](uint64_t person, AppId app, uint32_t only) {
                return index.GrantingHcos(person, app, only, [&](uint32_t i) {
                  return index.hco(i);
                });
              });
        },
        [&](const ModelPtr& model) {
          const DelegationGraph& g = model->graph;
          return ask(
              g.check_index(), model->revision,
              [&](const std::string& h) { return g.FindFacilityIndex(h); },
              [&](uint64_t person, AppId app, uint32_t only) {
                return g.GrantingFacilitiesAt(person, app, only);
              });
        });
  }

  Result<bool> Allowed(std::string_view insz, std::string_view application,
                       std::string_view hco,
                       uint64_t* revision) const override {
    auto ask = [&](const auto& index, uint64_t at,
                   auto find_facility) -> Result<bool> {
      Result<Question> q = ParseQuestionAt(index, insz, application, hco);
      if (!q.ok()) return q.status();
      if (revision != nullptr) *revision = at;
      uint32_t only = CheckIndex::kAnyFacility;
      if (!q->hco.empty()) {
        std::optional<uint32_t> f = find_facility(q->hco);
        if (!f) return false;  // unknown facility: denied
        only = *f;
      }
      return index.Allowed(q->insz, q->app, only);
    };
    return Decide(
        insz, application, hco,
        [&](const MappedCheckIndex& index) {
          return ask(index, index.stamp().revision, [&](const std::string& h) {
            return index.FindFacility(h);
          });
        },
        [&](const ModelPtr& model) {
          const DelegationGraph& g = model->graph;
          return ask(
              g.check_index(), model->revision,
              [&](const std::string& h) { return g.FindFacilityIndex(h); });
        });
  }

  Result<Explanation> Explain(std::string_view insz,
                              std::string_view application,
                              std::string_view hco, Lang lang) const override {
    Result<Question> q = ParseQuestion(insz, application, hco);
    if (!q.ok()) return q.status();
    Status ready = ModelForQuery();
    if (!ready.ok()) return ready;
    return model_->Read([&](const ModelPtr& model) {
      return ExplainDecision(model->graph, q->insz, q->app, q->hco, lang,
                             model->revision);
    });
  }

  Result<Page<AccessEntry>> Access(std::string_view insz,
                                   const PageRequest& page) const override {
    Result<uint64_t> person = PersonAndPage(insz, page);
    if (!person.ok()) return person.status();
    Status ready = ModelForQuery();
    if (!ready.ok()) return ready;
    return model_->Read([&](const ModelPtr& model) {
      return ListAccess(model->graph, *person, page, model->revision);
    });
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
    Status ready = ModelForQuery();
    if (!ready.ok()) return ready;
    return model_->Read([&](const ModelPtr& model) {
      return ListUsers(model->graph, h->str(), app, page, model->revision);
    });
  }

  Result<Page<ManagedEntry>> ManagedBy(std::string_view insz,
                                       const PageRequest& page) const override {
    Result<uint64_t> person = PersonAndPage(insz, page);
    if (!person.ok()) return person.status();
    Status ready = ModelForQuery();
    if (!ready.ok()) return ready;
    return model_->Read([&](const ModelPtr& model) {
      return ListManagedBy(model->graph, *person, page, model->revision);
    });
  }

  Result<WhoReport> Who(std::string_view kbo) const override {
    Result<Kbo> k = Kbo::Parse(kbo);
    if (!k.ok()) return k.status();
    Status ready = ModelForQuery();
    if (!ready.ok()) return ready;
    return model_->Read([&](const ModelPtr& model) {
      return DescribeEnterprise(model->graph, k->value(), model->revision);
    });
  }

  Result<std::string> GraphDot(std::string_view kbo) const override {
    Result<Kbo> k = Kbo::Parse(kbo);
    if (!k.ok()) return k.status();
    Status ready = ModelForQuery();
    if (!ready.ok()) return ready;
    return model_->Read([&](const ModelPtr& model) -> Result<std::string> {
      Vertex e = model->graph.FindEnterprise(k->value());
      if (e == kNoVertex) {
        return Status::Refused(code::kEnterpriseUnknown,
                               fmt::format("enterprise {} is not in the KBO "
                                           "registry",
                                           k->Display()));
      }
      return EnterpriseDot(model->graph, e);
    });
  }

  Status ImportKbo(const std::string& enterprises_csv,
                   const std::string& denominations_csv,
                   const ImportOptions& options,
                   ImportReport* report) override {
    return RunImport(
        "import.kbo", options, report, [&](ImportSession& session) -> Status {
          session.SetSource(SourceName(enterprises_csv), false);
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

  Status ImportKboOpenData(const std::string& path,
                           const ImportOptions& options,
                           ImportReport* report) override {
    *report = ImportReport();
    Result<std::unique_ptr<ExtractSource>> opened = ExtractSource::Open(path);
    if (!opened.ok()) return opened.status();
    ExtractSource& source = **opened;
    if (!source.Has("meta.csv")) {
      return Status::InvalidInput(
          code::kInvalidExtract,
          fmt::format("{}: not a KBO Open Data extract: it has no meta.csv",
                      path));
    }
    Result<ExtractMeta> meta = ReadExtractMeta(source);
    if (!meta.ok()) return meta.status();
    const bool full = meta->type == "full";
    const std::vector<std::string> needed =
        full ? std::vector<std::string>{"enterprise.csv", "denomination.csv"}
             : std::vector<std::string>{
                   "enterprise_delete.csv", "enterprise_insert.csv",
                   "denomination_delete.csv", "denomination_insert.csv"};
    for (const std::string& f : needed) {
      if (!source.Has(f)) {
        return Status::InvalidInput(
            code::kInvalidExtract,
            fmt::format("{}: the {} extract {} has no {}; the download is "
                        "incomplete: fetch it again",
                        path, meta->type, meta->number, f));
      }
    }
    size_t others = 0;
    for (const std::string& name : source.Names()) {
      if (name != "meta.csv" &&
          std::find(needed.begin(), needed.end(), name) == needed.end()) {
        ++others;
      }
    }
    // One file of the extract through row, streamed.
    auto read = [&](const char* name, const HeaderFn& header,
                    const RowFn& row) -> Status {
      uint64_t size = 0;
      Result<std::unique_ptr<std::istream>> in = source.Read(name, &size);
      if (!in.ok()) return in.status();
      return ReadCsvStream(**in, source.Display(name), size, options, report,
                           header, row);
    };
    const ExtractMeta m = *meta;
    return RunImport(
        "import.kbo-open-data", options, report,
        [&](ImportSession& session) -> Status {
          report->extract_number = m.number;
          report->extract_type = m.type;
          report->other_files = others;
          Result<std::optional<ImportSession::Extract>> last =
              session.LastExtract();
          if (!last.ok()) return last.status();
          if (!full) {
            if (!last->has_value()) {
              return Status::Refused(
                  code::kNoFullExtract,
                  fmt::format("update extract {} cannot be applied: no full "
                              "extract was imported yet. Import the latest "
                              "full extract first "
                              "(KboOpenData_NNNN_YYYY_MM_Full.zip)",
                              m.number));
            }
            const uint64_t prev = (*last)->number;
            if (m.number <= prev) {
              report->already_applied = true;
              return Status::Ok();  // nothing written: no commit
            }
            if (m.number != prev + 1 && !options.force) {
              const bool several = m.number - prev > 2;
              return Status::Refused(
                  code::kExtractGap,
                  fmt::format(
                      "update extract {} does not follow the last extract "
                      "applied ({}): {} missing. Apply {} first, or a newer "
                      "full extract; --force applies this one anyway",
                      m.number, prev,
                      several ? fmt::format("extracts {} to {} are", prev + 1,
                                            m.number - 1)
                              : fmt::format("extract {} is", prev + 1),
                      several ? "them" : "it"));
            }
          } else if (last->has_value() && (*last)->type == "full" &&
                     (*last)->number == m.number) {
            report->already_applied = true;
            return Status::Ok();
          }
          const std::string reason =
              fmt::format("KBO Open Data {} extract {} of {}", m.type, m.number,
                          m.snapshot_date);
          session.SetSource(reason, /*full=*/true);
          auto enterprises = [&](const char* csv) {
            return read(
                csv, [](const Fields& f) { return CheckEnterpriseHeader(f); },
                [&](const Fields& f) -> Result<ImportSession::Put> {
                  Result<EnterpriseRow> row = ParseEnterpriseRow(f);
                  if (!row.ok()) return row.status();
                  return session.PutEnterprise(*row);
                });
          };
          auto denominations = [&](const char* csv) {
            return read(
                csv, [](const Fields& f) { return CheckDenominationHeader(f); },
                [&](const Fields& f) -> Result<ImportSession::Put> {
                  Result<DenominationRow> row = ParseDenominationRow(f);
                  if (!row.ok()) return row.status();
                  return session.PutDenomination(*row);
                });
          };
          Status s;
          if (full) {
            s = enterprises("enterprise.csv");
            if (s.ok()) s = denominations("denomination.csv");
          } else {
            // Deletes first: noted, and applied as stops only for the
            // numbers the insert file does not list again.
            s = read("enterprise_delete.csv",
                     OneColumnHeader("EnterpriseNumber"),
                     [&](const Fields& f) -> Result<ImportSession::Put> {
                       Result<Kbo> k = OneKbo(f, "EnterpriseNumber");
                       if (!k.ok()) return k.status();
                       return session.DeleteEnterprise(*k);
                     });
            // A deleted denomination is not erased: toegang keeps one name
            // per enterprise, which the inserts that follow replace.
            if (s.ok()) {
              s = read("denomination_delete.csv",
                       OneColumnHeader("EntityNumber"),
                       [&](const Fields& f) -> Result<ImportSession::Put> {
                         if (f.size() != 1) {
                           return Status::InvalidInput(
                               code::kInvalidRow,
                               fmt::format("expected 1 column "
                                           "(EntityNumber), got {}",
                                           f.size()));
                         }
                         return ImportSession::Put::kIgnored;
                       });
            }
            if (s.ok()) s = enterprises("enterprise_insert.csv");
            if (s.ok()) s = denominations("denomination_insert.csv");
          }
          if (!s.ok() || report->invalid > 0) return s;
          Result<size_t> renamed = session.FinishDenominations();
          if (!renamed.ok()) return renamed.status();
          report->unchanged -= std::min(report->unchanged, *renamed);
          report->updated += *renamed;
          Result<size_t> stopped =
              full ? session.StopUnlistedEnterprises(
                         fmt::format("not in {}", reason))
                   : session.StopDeletedEnterprises(
                         fmt::format("deleted in {}", reason));
          if (!stopped.ok()) return stopped.status();
          return session.RecordExtract(
              ImportSession::Extract{m.number, m.type, m.snapshot_date});
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
                         &ImportSession::PutFunction,
                         &ImportSession::EndUnlistedFunctions);
  }

  Status ImportFacilities(const std::string& csv, const ImportOptions& options,
                          ImportReport* report) override {
    return ImportOneFile("import.facilities", csv, options, report,
                         IsFacilitiesHeader, ParseFacilityRow,
                         &ImportSession::PutFacility,
                         &ImportSession::CloseUnlistedFacilities);
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
    Status ready = self().ModelLocked();
    if (!ready.ok()) return ready;
    Result<std::vector<std::string>> storage = store_->CheckIntegrity();
    if (!storage.ok()) return storage.status();
    std::vector<std::string> problems = *storage;
    const Model& mine_model = Writer();
    for (const std::string& p : mine_model.graph.CheckInvariants()) {
      problems.push_back("graph: " + p);
    }
    // The graph in memory must equal one freshly loaded from the database.
    auto fresh = std::make_unique<DelegationGraph>(&catalogue_);
    Result<uint64_t> rev = store_->Load(fresh.get());
    if (!rev.ok()) return rev.status();
    fresh->Compact();  // the staged edges join it (Store::Load)
    if (*rev == mine_model.revision) {
      std::vector<std::string> mine = mine_model.graph.Dump();
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
    Status ready = self().ModelLocked();
    if (!ready.ok()) return ready;
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
    const Model& model = Writer();
    s.revision = model.revision;
    s.graph_vertices = num_vertices(model.graph.graph());
    s.graph_edges = num_edges(model.graph.graph());
    s.graph_overlay_edges = model.graph.graph().overlay_edge_count();
    s.graph_base_edges = s.graph_edges - s.graph_overlay_edges;
    s.overlay_persons = model.graph.check_index().own_persons();
    s.compactions = compactions_.load(std::memory_order_relaxed);
    s.index_bytes = model.graph.check_index().MemoryBytes();
    s.mapped_base_bytes = model.graph.mapped_base_bytes();
    return s;
  }

  uint64_t revision() const override {
    return published_revision_.load(std::memory_order_acquire);
  }

  Status Refresh() override {
    std::lock_guard<std::mutex> writer(write_mu_);
    return CatchUpLocked();
  }

  StartupInfo startup() const override {
    std::lock_guard<std::mutex> lock(follow_mu_);
    StartupInfo s = startup_info_;
    s.model_loaded = model_ready_.load(std::memory_order_acquire);
    return s;
  }

  FollowState follow_state() const override {
    // Two stat calls; the store's file identities are fixed at opening.
    const Status files = store_->CheckFiles();
    std::lock_guard<std::mutex> lock(follow_mu_);
    FollowState f = follow_;
    f.revision = revision();
    f.compactions = compactions_.load(std::memory_order_relaxed);
    if (!files.ok()) {
      f.store_ok = false;
      f.store_error = files.message();
    } else if (last_look_failed_) {
      f.store_ok = false;
      f.store_error = follow_.last_error;
    }
    return f;
  }

  Status CatchUp(uint64_t revision, std::chrono::milliseconds bound) override {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    for (;;) {
      {
        std::lock_guard<std::mutex> writer(write_mu_);
        Status s = CatchUpLocked();
        if (!s.ok()) return s;
        if (Writer().revision >= revision) return Status::Ok();
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

  // ParseQuestion inside a read of `index`, for a check: as soon as the
  // INSZ's digits are known (the plain 11-digit form gateways send) the
  // index starts loading the person's first cache line, so that validating
  // the INSZ and finding the application and the facility overlap that
  // load, the one cache miss of a check at M.
  template <typename Index>
  Result<Question> ParseQuestionAt(const Index& index, std::string_view insz,
                                   std::string_view application,
                                   std::string_view hco) const {
    uint64_t value = 0;
    const char* end = insz.data() + insz.size();
    if (insz.size() == 11 &&
        std::from_chars(insz.data(), end, value).ptr == end) {
      index.Prefetch(value);  // a hint: an invalid INSZ is refused below
    }
    return ParseQuestion(insz, application, hco);
  }

  // The inputs of access(insz) and managed-by(insz).
  static Result<uint64_t> PersonAndPage(std::string_view insz,
                                        const PageRequest& page) {
    Result<Insz> person = Insz::Parse(insz);
    if (!person.ok()) return person.status();
    Status p = CheckPage(page);
    if (!p.ok()) return p;
    return person->value();
  }

  static Status CheckPage(const PageRequest& page) {
    if (page.limit == 0 || page.limit > 10000) {
      return Status::InvalidInput(code::kUsage,
                                  "a page holds 1 to 10000 entries (--limit)");
    }
    return Status::Ok();
  }

  // The first record of a file: `check` says whether it is the header the
  // file starts with (ok) or why not. When `optional` (a header that may be
  // left out), a first record check rejects is the first row of data.
  struct HeaderFn {
    template <typename Check, typename = std::enable_if_t<std::is_invocable_r_v<
                                  Status, Check&, const Fields&>>>
    HeaderFn(Check c, bool header_is_optional = false)  // NOLINT: implicit
        : check(std::move(c)), optional(header_is_optional) {}
    std::function<Status(const Fields&)> check;
    bool optional;
  };
  using RowFn = std::function<Result<ImportSession::Put>(const Fields&)>;

  // A header that may be left out: a first record that is not one is data.
  static HeaderFn OptionalHeader(bool (*is_header)(const Fields&)) {
    return HeaderFn(
        [is_header](const Fields& f) {
          return is_header(f) ? Status::Ok()
                              : Status::InvalidInput(code::kInvalidHeader,
                                                     "not a header");
        },
        /*header_is_optional=*/true);
  }

  // Loads the whole federation again from the database (after an import,
  // or when another process committed). Readers keep the old graph until
  // the new one is swapped in.
  Status Reload() {
    const auto started = std::chrono::steady_clock::now();
    auto fresh =
        std::make_unique<Model>(Model{DelegationGraph(&catalogue_), 0});
    Result<uint64_t> rev = store_->Load(&fresh->graph);
    if (!rev.ok()) return rev.status();
    fresh->revision = *rev;
    // The compaction makes the staged functions, users and rights part of
    // the graph (Store::Load), and gives the two instances one base to share; a
    // one-shot engine, which copies its model only for a write, if ever,
    // keeps that base on the heap. The build-time overlay (a million small
    // blocks at M) is freed off the path to the first query: by the twin's
    // task when opening, else below.
    std::unique_ptr<LinkGraph::Overlay> retired =
        fresh->graph.Compact(lazy_ ? FrozenStore::Heap() : base_store_);
    {
      std::lock_guard<std::mutex> lock(follow_mu_);
      startup_info_.load_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - started)
              .count();
    }
    if (model_ == nullptr) {
      // Opening: queries can start on the loaded model at once; its twin,
      // which only writers need, is copied in the background (see
      // TwinReady), or by the first write of a one-shot engine.
      const Model* loaded = fresh.get();
      model_ = std::make_unique<LeftRight<ModelPtr>>(std::move(fresh), nullptr);
      if (!lazy_) {
        // The same task writes the index snapshot of this load, always (a
        // snapshot with a current stamp but other content, the database
        // edited behind toegang's back, heals so), off the path to the
        // first check. Nothing changes the loaded instance until
        // TwinReady() has waited for the task.
        std::optional<SnapshotStamp> stamp;
        if (snapshots_) {
          Result<SnapshotStamp> st = StampOf(*rev);
          if (st.ok()) {
            stamp = *st;
            snapshot_revision_.store(*rev, std::memory_order_relaxed);
          }
        }
        twin_ = std::async(
            std::launch::async,
            [this, loaded, stamp, retired = std::move(retired)]() mutable {
              retired.reset();
              ReturnFreedMemory();
              auto twin = std::make_unique<Model>(*loaded);
              if (stamp) {
                (void)WriteIndexSnapshot(IndexSnapshotPath(path_), *stamp,
                                         loaded->graph.check_index(),
                                         loaded->graph.FacilityHcos());
              }
              return twin;
            });
      }
    } else {
      retired.reset();
      // Both instances are replaced below: a twin still being copied from
      // the loaded instance is waited for and dropped, not put in place.
      if (twin_.valid()) twin_.get();
      PutInPlace(std::move(fresh));
      ReturnFreedMemory();  // the two old instances and the overlay
    }
    published_revision_.store(*rev, std::memory_order_release);
    last_change_ns_.store(SteadyNanos(), std::memory_order_relaxed);
    return Status::Ok();
  }

  // Waits for the background copy made at opening (or, in a one-shot
  // engine, makes it) and puts it in place as the instance no query reads.
  // REQUIRES: write_mu_ held, the model loaded.
  void TwinReady() {
    if (twin_.valid()) {
      model_->Idle() = twin_.get();
      // The loaded instance's small records lie scattered among the blocks
      // its load freed, pinning those pages; queries move to the twin and
      // the loaded instance makes way for a fresh copy, so that its heap
      // can go back to the system.
      const Model* twin = model_->Idle().get();
      model_->Write([twin](ModelPtr& m) {
        if (m.get() != twin) m = std::make_unique<Model>(*twin);
      });
      ReturnFreedMemory();
    } else if (model_->Idle() == nullptr) {
      model_->Idle() = std::make_unique<Model>(Writer());
    }
  }

  // Applies committed change sets to both instances of the model.
  void Publish(const std::vector<ChangeSet>& changes) {
    if (changes.empty()) return;
    TwinReady();
    model_dirty_ = true;  // until both instances hold the changes
    model_->Write([&](ModelPtr& m) {
      for (const ChangeSet& c : changes) {
        m->graph.ApplyAll(c);
        m->revision = c.revision;
      }
    });
    model_dirty_ = false;
    published_revision_.store(changes.back().revision,
                              std::memory_order_release);
    last_change_ns_.store(SteadyNanos(), std::memory_order_relaxed);
    CompactIfDue();
  }

  // Folds the overlays into new bases once they hold enough changes (see
  // OpenOptions::compact_after_changes): the writer's instance is copied
  // and compacted, and takes the place of both, as a reload's fresh model
  // does. REQUIRES: write_mu_ held, the model loaded, both instances equal.
  void CompactIfDue() {
    if (lazy_) return;
    const DelegationGraph& g = Writer().graph;
    const LinkGraph& links = g.graph();
    const size_t changes = links.overlay_edge_count() +
                           links.removed_base_edge_count() +
                           g.check_index().own_persons();
    const size_t due = options_.compact_after_changes != 0
                           ? options_.compact_after_changes
                           : std::max<size_t>(50000, links.edge_count() / 20);
    if (changes < due) return;
    auto fresh = std::make_unique<Model>(Writer());
    std::unique_ptr<LinkGraph::Overlay> retired =
        fresh->graph.Compact(base_store_);
    PutInPlace(std::move(fresh));
    retired.reset();
    ReturnFreedMemory();  // the two old instances and their overlays
    compactions_.fetch_add(1, std::memory_order_relaxed);
  }

  // Replaces both instances by `fresh`: it goes where no reader is, and
  // the other instance becomes a copy of it once its readers have left.
  // REQUIRES: write_mu_ held, the model loaded.
  void PutInPlace(ModelPtr fresh) {
    const Model* first = nullptr;
    model_dirty_ = true;  // until both instances are fresh
    model_->Write([&](ModelPtr& m) {
      if (first == nullptr) {
        m = std::move(fresh);
        first = m.get();
      } else {
        m = std::make_unique<Model>(*first);
      }
    });
    model_dirty_ = false;
  }

  // The model as the writer sees it. REQUIRES: write_mu_ held.
  const Model& Writer() const { return *model_->WriterView(); }

  // Reads the change log after revision `from` as change sets, one per
  // revision in order. Returns nullopt when the log cannot be replayed
  // (an import, whose rows are not in the log, or rows this build cannot
  // read): then the caller loads from the tables.
  Result<std::optional<std::vector<ChangeSet>>> ReadChangesSince(
      uint64_t from) {
    std::vector<ChangeSet> out;
    AuditQuery q;
    q.since_revision = from;
    q.limit = 1000;
    for (;;) {
      Result<std::vector<AuditRecord>> rows = store_->ReadAudit(q);
      if (!rows.ok()) return rows.status();
      if (rows->empty()) break;
      for (const AuditRecord& r : *rows) {
        q.after_seq = r.seq;
        std::optional<Op> op = r.action.rfind("import.", 0) == 0
                                   ? std::nullopt
                                   : OpFromJson(r.detail, catalogue_);
        if (!op) return std::optional<std::vector<ChangeSet>>();
        if (out.empty() || out.back().revision != r.revision) {
          // Revisions follow each other without gaps (the store's
          // invariant); anything else is not replayable.
          const uint64_t expected =
              out.empty() ? from + 1 : out.back().revision + 1;
          if (r.revision != expected) {
            return std::optional<std::vector<ChangeSet>>();
          }
          ChangeSet c;
          c.revision = r.revision;
          c.at = ParseUtc(r.at);
          c.actor = FromDigits(r.actor).value_or(0);  // none for imports
          out.push_back(std::move(c));
        }
        out.back().ops.push_back(std::move(*op));
      }
    }
    return std::optional<std::vector<ChangeSet>>(std::move(out));
  }

  // Reload() for a catch-up, counted in follow_state() once it is visible.
  Status ReloadCounted() {
    Status s = Reload();
    if (s.ok()) {
      std::lock_guard<std::mutex> lock(follow_mu_);
      ++follow_.reloads;
    }
    return s;
  }

  // Brings the model up to the database's revision: by replaying the
  // change log when it can, else by loading everything again.
  Status CatchUpFrom(uint64_t stored) {
    const uint64_t mine = Writer().revision;
    if (stored < mine) return ReloadCounted();  // a different file now
    Result<std::optional<std::vector<ChangeSet>>> changes =
        ReadChangesSince(mine);
    if (!changes.ok()) return changes.status();
    if (!changes->has_value() || (*changes)->empty() ||
        (*changes)->back().revision < stored) {
      return ReloadCounted();
    }
    Publish(**changes);
    std::lock_guard<std::mutex> lock(follow_mu_);
    follow_.replayed += (*changes)->size();
    return Status::Ok();
  }

  Status CatchUpLocked() {
    Status ready = ModelLocked();
    if (!ready.ok()) return ready;
    TwinReady();  // a catch-up may write; and Refresh() promises both
    Result<uint64_t> stored = store_->CurrentRevision();
    Status s = stored.ok() ? Status::Ok() : stored.status();
    if (s.ok() && model_dirty_) {
      s = CatchAll("loading the federation again", [&] { return Reload(); });
    }
    const bool behind = s.ok() && *stored != Writer().revision;
    if (behind) {
      s = CatchAll("catching up", [&] { return CatchUpFrom(*stored); });
    }
    std::lock_guard<std::mutex> lock(follow_mu_);
    follow_.last_catch_up_ms = NowMillis();
    last_look_failed_ = !s.ok();
    if (!s.ok()) {
      ++follow_.failures;
      follow_.last_error = s.message();
    } else if (behind) {
      ++follow_.catch_ups;
    }
    return s;
  }

  // The background thread: loads the model when opening started from a
  // snapshot (retrying a failed load every second), then until the engine
  // closes, with a follow interval, catches up that often (FollowOnce),
  // and rewrites a stale index snapshot once the model is idle
  // (SnapshotIfIdle).
  void Background() {
    std::unique_lock<std::mutex> lock(follow_mu_);
    if (!stopping_ && !model_ready_.load() && options_.load_gate_for_tests) {
      lock.unlock();
      options_.load_gate_for_tests();
      lock.lock();
    }
    while (!stopping_ && !model_ready_.load()) {
      lock.unlock();
      Status s;
      {
        std::lock_guard<std::mutex> writer(write_mu_);
        s = CatchAll("loading the federation", [&] { return ModelLocked(); });
      }
      lock.lock();
      load_failed_.store(!s.ok(), std::memory_order_release);
      last_look_failed_ = !s.ok();
      if (!s.ok()) {
        ++follow_.failures;
        follow_.last_error = s.message();
        follow_cv_.wait_for(lock, std::chrono::seconds(1),
                            [this] { return stopping_; });
      }
    }
    const std::chrono::milliseconds follow = options_.follow_interval;
    if (follow.count() <= 0 && !KeepsSnapshot()) return;
    const std::chrono::milliseconds every =
        follow.count() > 0 ? follow
                           : std::max(std::chrono::milliseconds(1),
                                      options_.snapshot_after_idle / 4);
    while (!follow_cv_.wait_for(lock, every, [this] { return stopping_; })) {
      lock.unlock();
      if (follow.count() > 0) FollowOnce();
      if (KeepsSnapshot()) {
        (void)CatchAll("writing the index snapshot", [&] {
          SnapshotIfIdle();  // a cache: a failure waits for the next look
          return Status::Ok();
        });
      }
      lock.lock();
    }
  }

  // Whether this engine keeps the index snapshot current while it runs
  // (OpenOptions::snapshot_after_idle).
  bool KeepsSnapshot() const {
    return snapshots_ && !lazy_ && options_.snapshot_after_idle.count() > 0;
  }

  // Writes the index snapshot of the model when the one on disk is of an
  // older revision and no change has come for snapshot_after_idle. Like
  // the follower, it only tries the writer lock: a writer holding it is
  // not idle.
  void SnapshotIfIdle() {
    const uint64_t revision =
        published_revision_.load(std::memory_order_acquire);
    if (!model_ready_.load(std::memory_order_acquire) ||
        revision == snapshot_revision_.load(std::memory_order_relaxed)) {
      return;
    }
    const int64_t quiet_since = last_change_ns_.load(std::memory_order_relaxed);
    if (SteadyNanos() - quiet_since <
        std::chrono::nanoseconds(options_.snapshot_after_idle).count()) {
      return;
    }
    std::unique_lock<std::mutex> writer(write_mu_, std::try_to_lock);
    if (!writer.owns_lock() || twin_.valid()) return;  // the twin writes one
    WriteSnapshot(/*only_if_stale=*/true);
    snapshot_revision_.store(Writer().revision, std::memory_order_relaxed);
  }

  static int64_t SteadyNanos() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  // One look at the database for the follower. It only tries the writer
  // lock: whoever holds it either catches up itself before changing
  // anything (Apply, the imports, CatchUp, Refresh) or only reads, and
  // the next look comes one interval later. Waiting for the lock instead
  // queued this thread behind every commit of a busy writer: each unlock
  // woke it, and it slept again when the writer took the lock first for
  // its next commit (in `Mutation/durable/M`, about a tenth of the
  // process's CPU went to those wake-ups).
  void FollowOnce() {
    std::unique_lock<std::mutex> writer(write_mu_, std::try_to_lock);
    if (!writer.owns_lock()) {
      std::lock_guard<std::mutex> lock(follow_mu_);
      ++follow_.skipped;
      return;
    }
    // A failure of the catch-up proper is counted in follow_; one before
    // it (the twin's copy) is tried again at the next look.
    (void)CatchAll("following the database", [&] { return CatchUpLocked(); });
  }

  // --- start-up from an index snapshot ---------------------------------

  // The stamp of the database state at `revision`, which must be the
  // database's current one (a snapshot of any other state would be stale
  // at once): a hash keyed with the database's id of its chain value at
  // that revision (which stands for its whole history, see
  // schema/0002_database_identity.sql), of the catalogue and of the schema
  // version, and a keyed fingerprint of the id. One indexed read.
  Result<SnapshotStamp> StampOf(uint64_t revision) {
    Result<HistoryMark> mark = store_->CurrentMark();
    if (!mark.ok()) return mark.status();
    if (mark->revision != revision) {
      return Status::Storage(code::kStorageError,
                             fmt::format("the database is at revision {}, "
                                         "not {}",
                                         mark->revision, revision));
    }
    return StampFor(*mark);
  }

  SnapshotStamp StampFor(const HistoryMark& mark) const {
    KeyedHasher digest(store_->database_key());
    digest.Add(std::string_view("toegang index snapshot"));
    digest.Add(CatalogueDigest(catalogue_));
    // A migration may rewrite rows without a revision of its own.
    digest.Add(static_cast<uint64_t>(SqliteStore::LatestSchemaVersion()));
    digest.Add(mark.revision);
    digest.Add(mark.chain);
    KeyedHasher database(store_->database_key());
    database.Add(std::string_view("toegang database"));
    return SnapshotStamp{mark.revision, digest.Final(), database.Final()};
  }

  // Maps the index snapshot when it was taken from the database's current
  // state; otherwise notes why not. With a follow interval, also opens
  // the connection that watches the database's revision while checks are
  // answered from the snapshot (WatchSnapshot).
  void StartFromSnapshot() {
    const auto started = std::chrono::steady_clock::now();
    Result<HistoryMark> mark = store_->CurrentMark();
    std::string note;
    if (!mark.ok()) {
      note = mark.status().message();
    } else {
      const SnapshotStamp stamp = StampFor(*mark);
      Result<std::unique_ptr<MappedCheckIndex>> mapped =
          MappedCheckIndex::Open(IndexSnapshotPath(path_));
      std::unique_ptr<RevisionWatch> watch;
      if (!mapped.ok()) {
        note = mapped.status().message();
      } else if ((*mapped)->stamp().database != stamp.database) {
        note =
            "the index snapshot belongs to another database (a file copied "
            "or moved from elsewhere, or written before this database was "
            "made or migrated)";
      } else if ((*mapped)->stamp().revision != stamp.revision) {
        note = fmt::format(
            "the index snapshot is of revision {}, the database is at {}",
            (*mapped)->stamp().revision, stamp.revision);
      } else if ((*mapped)->stamp() != stamp) {
        note = fmt::format(
            "the index snapshot is of revision {} but of another history or "
            "state: a copy of this database that was changed apart, an edit "
            "behind toegang's back, or a build that stamps differently",
            stamp.revision);
      } else if (!lazy_ && options_.follow_interval.count() > 0 &&
                 !store_->read_only()) {
        Result<std::unique_ptr<RevisionWatch>> w = RevisionWatch::Open(path_);
        if (!w.ok()) {
          note = fmt::format(
              "the database cannot be watched while the "
              "graph loads ({})",
              w.status().message());
        } else {
          watch = std::move(w).value();
        }
      }
      if (note.empty()) {
        startup_ = std::move(mapped).value();
        watch_ = std::move(watch);
        published_revision_.store(stamp.revision, std::memory_order_release);
        snapshot_revision_.store(stamp.revision, std::memory_order_relaxed);
      }
    }
    std::lock_guard<std::mutex> lock(follow_mu_);
    startup_info_.from_snapshot = startup_ != nullptr;
    startup_info_.snapshot_note = std::move(note);
    startup_info_.snapshot_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started)
            .count();
  }

  // The watcher thread (OpenOptions::follow_interval after a start from
  // the index snapshot): reads the database's revision through its own
  // connection every interval while the graph loads. Once it differs from
  // the snapshot's (another process committed), or cannot be read, checks
  // fail closed (Decide) until the model is loaded and caught up
  // (ModelLocked).
  void WatchSnapshot(uint64_t at) {
    std::unique_lock<std::mutex> lock(follow_mu_);
    for (;;) {
      follow_cv_.wait_for(lock, options_.follow_interval, [this] {
        return stopping_ || model_ready_.load(std::memory_order_acquire);
      });
      if (stopping_ || model_ready_.load(std::memory_order_acquire)) break;
      lock.unlock();
      Result<uint64_t> now =
          CatchAll("watching the database", [&] { return watch_->Revision(); });
      lock.lock();
      if (!now.ok()) {
        ++follow_.failures;
        follow_.last_error = now.status().message();
        last_look_failed_ = true;
      }
      if (!now.ok() || *now != at) {
        snapshot_behind_.store(true, std::memory_order_release);
        break;
      }
    }
    lock.unlock();
    watch_.reset();  // only this thread uses it
  }

  // Loads the model unless it is in memory already; then checks stop
  // reading the snapshot. REQUIRES: write_mu_ held.
  Status ModelLocked() {
    if (model_ready_.load(std::memory_order_relaxed)) return Status::Ok();
    Status s = Reload();
    if (!s.ok()) return s;
    if (startup_ != nullptr) {
      // Checks went on from the snapshot during the load, and may have
      // been refused since another process committed (WatchSnapshot):
      // they move to the model only once it holds what the database holds
      // now, not what it held when the load began.
      Result<uint64_t> stored = store_->CurrentRevision();
      if (!stored.ok()) return stored.status();
      if (*stored != Writer().revision) {
        s = CatchUpFrom(*stored);
        if (!s.ok()) return s;
      }
    }
    // Dekker-style hand-over with Decide(): a check that missed this store
    // has announced itself on startup_readers_ before looking, so once the
    // count is zero no check can be reading the snapshot.
    model_ready_.store(true, std::memory_order_seq_cst);
    startup_readers_.WaitUntilZero();
    startup_.reset();
    // The snapshot of this load is written by the twin's task (Reload), or
    // when a one-shot engine, which has none, closes.
    snapshot_due_ = snapshots_ && lazy_;
    return Status::Ok();
  }

  // For queries that need the graph: loads it if opening left that for
  // later (the only time a query waits for the writer lock).
  Status ModelForQuery() const {
    if (model_ready_.load(std::memory_order_acquire)) return Status::Ok();
    std::lock_guard<std::mutex> writer(write_mu_);
    return self().ModelLocked();
  }

  // Runs a check of this question (the callables parse it themselves, see
  // ParseQuestionAt) on the snapshot while the model is not loaded, else
  // on the model. Takes no lock.
  template <typename FromSnapshot, typename FromModel>
  std::invoke_result_t<FromSnapshot, const MappedCheckIndex&> Decide(
      std::string_view insz, std::string_view application, std::string_view hco,
      FromSnapshot from_snapshot, FromModel from_model) const {
    if (!model_ready_.load(std::memory_order_acquire)) {
      const ReaderCount::Inside inside = startup_readers_.Enter();
      if (!model_ready_.load(std::memory_order_seq_cst)) {
        if (load_failed_.load(std::memory_order_acquire)) {
          // Bad input is still told as such (it would be refused anyway);
          // any other check fails closed: the snapshot would go stale
          // unnoticed.
          Result<Question> q = ParseQuestion(insz, application, hco);
          if (!q.ok()) return q.status();
          return std::invoke_result_t<FromSnapshot, const MappedCheckIndex&>(
              Status::Storage(code::kStorageError,
                              "the federation could not be loaded after "
                              "opening; the engine retries every second (see "
                              "follow_state().last_error)"));
        }
        if (snapshot_behind_.load(std::memory_order_acquire)) {
          // Another process committed since the snapshot: its answers
          // may be stale (a revoked right), so none is given until the
          // model, loading now, has caught up.
          Result<Question> q = ParseQuestion(insz, application, hco);
          if (!q.ok()) return q.status();
          return std::invoke_result_t<FromSnapshot, const MappedCheckIndex&>(
              Status::Storage(
                  code::kRevisionNotReached,
                  fmt::format("the database has moved past revision {} of "
                              "the index snapshot this engine started from; "
                              "checks resume once the graph, loading now, "
                              "has caught up: retry shortly",
                              startup_->stamp().revision)));
        }
        return from_snapshot(*startup_);
      }
    }
    return model_->Read(from_model);
  }

  // Writes the index snapshot of the model (when only_if_stale, only if
  // the file on disk is not of the model's state). A cache: failures are
  // ignored. REQUIRES: write_mu_ held (or closing), model loaded.
  void WriteSnapshot(bool only_if_stale) {
    if (!snapshots_) return;
    const Model& m = Writer();
    Result<SnapshotStamp> stamp = StampOf(m.revision);
    if (!stamp.ok()) return;
    const std::string path = IndexSnapshotPath(path_);
    if (only_if_stale && ReadSnapshotStamp(path) == *stamp) return;
    (void)WriteIndexSnapshot(path, *stamp, m.graph.check_index(),
                             m.graph.FacilityHcos());
  }

  // Const queries may have to load the model (ModelForQuery); the engine
  // object itself is never const.
  EngineImpl& self() const { return const_cast<EngineImpl&>(*this); }

  // One CSV file with an optional header, parsed by parse and written by
  // put: the persons, functions and facilities imports.
  // With options.full, `unlisted` ends (or closes) what the file does not
  // list; nullptr: the registry has no whole-file form (persons).
  template <typename Row>
  Status ImportOneFile(
      std::string_view action, const std::string& csv,
      const ImportOptions& options, ImportReport* report,
      bool (*is_header)(const Fields&), Result<Row> (*parse)(const Fields&),
      Result<ImportSession::Put> (ImportSession::*put)(const Row&),
      Result<size_t> (ImportSession::*unlisted)() = nullptr) {
    if (options.full && unlisted == nullptr) {
      *report = ImportReport();
      return Status::InvalidInput(code::kUsage,
                                  fmt::format("{} has no --full form", action));
    }
    if (options.full && options.skip_invalid) {
      *report = ImportReport();
      return Status::InvalidInput(
          code::kUsage,
          "--full and --skip-invalid do not go together: a skipped row "
          "would end what it lists. Fix the bad rows, or import without "
          "--full");
    }
    return RunImport(action, options, report, [&](ImportSession& session) {
      session.SetSource(SourceName(csv), options.full);
      Status s = ReadCsv(csv, options, report, OptionalHeader(is_header),
                         [&](const Fields& f) -> Result<ImportSession::Put> {
                           Result<Row> row = parse(f);
                           if (!row.ok()) return row.status();
                           return (session.*put)(*row);
                         });
      // Nothing is ended on the word of a file with bad rows.
      if (!s.ok() || !options.full || report->invalid > 0) return s;
      Result<size_t> ended = (session.*unlisted)();
      return ended.ok() ? Status::Ok() : ended.status();
    });
  }

  // meta.csv of a KBO Open Data extract ("Variable","Value" rows).
  struct ExtractMeta {
    std::string type;  // "full" | "update"
    uint64_t number = 0;
    std::string snapshot_date;  // dd-mm-yyyy as given
  };

  static Result<ExtractMeta> ReadExtractMeta(ExtractSource& source) {
    const std::string path = source.Display("meta.csv");
    uint64_t size = 0;
    Result<std::unique_ptr<std::istream>> opened =
        source.Read("meta.csv", &size);
    if (!opened.ok()) return opened.status();
    std::istream& in = **opened;
    auto bad = [&](size_t line, const std::string& what) {
      return Status::InvalidInput(code::kInvalidExtract,
                                  fmt::format("{}:{}: {}", path, line, what));
    };
    CsvReader reader(in);
    Fields f;
    std::string error;
    std::map<std::string, std::pair<std::string, size_t>> values;
    bool first = true;
    for (;;) {
      CsvReader::Outcome o = reader.Next(&f, &error);
      if (o == CsvReader::Outcome::kEnd) break;
      if (o == CsvReader::Outcome::kError) return bad(reader.line(), error);
      if (f.size() != 2) {
        return bad(
            reader.line(),
            fmt::format("expected 2 columns (\"Variable\",\"Value\"), got {}{}",
                        f.size(),
                        f.size() == 1 && f[0].find(';') != std::string::npos
                            ? " (the file is separated by ';', not ',')"
                            : ""));
      }
      if (first) {
        first = false;
        if (f[0] == "Variable" && f[1] == "Value") continue;
        return bad(reader.line(), "expected the header \"Variable\",\"Value\"");
      }
      values[f[0]] = {f[1], reader.line()};
    }
    if (first) return bad(1, "the file is empty");
    auto get = [&](const char* name) -> Result<std::pair<std::string, size_t>> {
      auto it = values.find(name);
      if (it == values.end() || it->second.first.empty()) {
        return bad(reader.line(), fmt::format("no {} given", name));
      }
      return it->second;
    };
    ExtractMeta m;
    for (const char* name : {"ExtractTimestamp", "Version"}) {
      Result<std::pair<std::string, size_t>> v = get(name);
      if (!v.ok()) return v.status();
    }
    Result<std::pair<std::string, size_t>> type = get("ExtractType");
    if (!type.ok()) return type.status();
    std::string t = type->first;
    std::transform(t.begin(), t.end(), t.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (t != "full" && t != "update") {
      return bad(type->second,
                 fmt::format("ExtractType \"{}\" is neither full nor update",
                             type->first));
    }
    m.type = t;
    Result<std::pair<std::string, size_t>> number = get("ExtractNumber");
    if (!number.ok()) return number.status();
    std::optional<uint64_t> n = FromDigits(number->first);
    if (!n || number->first.size() > 9) {
      return bad(
          number->second,
          fmt::format("ExtractNumber \"{}\" is not a number", number->first));
    }
    m.number = *n;
    Result<std::pair<std::string, size_t>> date = get("SnapshotDate");
    if (!date.ok()) return date.status();
    if (!IsDayMonthYear(date->first)) {
      return bad(date->second,
                 fmt::format("SnapshotDate \"{}\" is not a date dd-mm-yyyy",
                             date->first));
    }
    m.snapshot_date = date->first;
    return m;
  }

  static bool IsDayMonthYear(const std::string& s) {
    if (s.size() != 10 || s[2] != '-' || s[5] != '-') return false;
    for (size_t i : {0, 1, 3, 4, 6, 7, 8, 9}) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    const int d = std::stoi(s.substr(0, 2));
    const int mo = std::stoi(s.substr(3, 2));
    const int y = std::stoi(s.substr(6, 4));
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || y < 1800) {
      return false;
    }
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(mo == 2 && d == 29 && !leap);
  }

  // The header of a one-column delete file, e.g. "EnterpriseNumber".
  static HeaderFn OneColumnHeader(const char* name) {
    return [name](const Fields& f) {
      if (f.size() == 1 && f[0] == name) return Status::Ok();
      return Status::InvalidInput(
          code::kInvalidHeader,
          fmt::format("expected the header \"{}\" (1 column), got {} "
                      "column{}{}",
                      name, f.size(), f.size() == 1 ? "" : "s",
                      f.size() == 1 && f[0].find(';') != std::string::npos
                          ? " (the file is separated by ';', not ',')"
                          : ""));
    };
  }

  static Result<Kbo> OneKbo(const Fields& f, const char* column) {
    if (f.size() != 1) {
      return Status::InvalidInput(
          code::kInvalidRow,
          fmt::format("expected 1 column ({}), got {}", column, f.size()));
    }
    Result<Kbo> k = Kbo::Parse(f[0]);
    if (!k.ok()) {
      return Status::InvalidInput(
          k.status().code(),
          fmt::format("column \"{}\": {}", column, k.status().message()));
    }
    return k;
  }

  // The file name an audit row gives as the source of a registry change.
  static std::string SourceName(const std::string& path) {
    return std::filesystem::path(path).filename().string();
  }

  template <typename Body>
  Status RunImport(std::string_view action, const ImportOptions& options,
                   ImportReport* report, Body body) {
    *report = ImportReport();
    report->dry_run = options.dry_run;
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
      // A dry run writes nothing, not even its refusal.
      if (s.code() == code::kImportRejected && !options.dry_run) {
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
    report->changes = session->changes();
    const RegistryChanges& rc = report->changes;
    // Who loses or gains access, on the model as it is now (the writer's
    // instance, current after CatchUpLocked): the same for a dry run and
    // the real import.
    report->impact = ComputeImpact(Writer().graph, session->delta());
    if (options.dry_run) {
      session.reset();  // roll back: nothing written
      return Status::Ok();
    }
    nlohmann::json detail = {
        {"rows", report->rows},       {"inserted", report->inserted},
        {"updated", report->updated}, {"unchanged", report->unchanged},
        {"ignored", report->ignored}, {"invalid", report->invalid}};
    if (rc.total() > 0) {
      detail["changes"] = {
          {"enterprises_stopped", rc.enterprises_stopped},
          {"enterprises_reactivated", rc.enterprises_reactivated},
          {"functions_added", rc.functions_added},
          {"functions_ended", rc.functions_ended},
          {"facilities_closed", rc.facilities_closed},
          {"facilities_reopened", rc.facilities_reopened},
          {"facilities_moved", rc.facilities_moved}};
    }
    const bool changed = report->inserted + report->updated + rc.total() > 0 ||
                         session->wrote_state();
    Result<uint64_t> rev = session->Commit(
        std::string(action), detail.dump(),
        fmt::format("{}: {} inserted, {} updated, {} unchanged, {} skipped as "
                    "invalid{}",
                    action, report->inserted, report->updated,
                    report->unchanged, report->invalid,
                    rc.functions_ended + rc.facilities_closed > 0
                        ? fmt::format("; {} functions ended, {} facilities "
                                      "closed",
                                      rc.functions_ended, rc.facilities_closed)
                        : std::string()),
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
    return ReadCsvStream(in, path, total, options, report, header, row);
  }

  // ReadCsv on a stream (a file, or an entry of a zip); path names it in
  // the report, total is its size for the progress (0: unknown).
  Status ReadCsvStream(std::istream& in, const std::string& path,
                       uint64_t total, const ImportOptions& options,
                       ImportReport* report, const HeaderFn& header,
                       const RowFn& row) {
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
        Status h = header.check(fields);
        if (h.ok()) continue;
        if (!header.optional) {
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
  const std::string path_;              // absolute for a file (Anchored)
  const OpenOptions options_;
  const bool lazy_;       // one-shot: load and copy only when needed
  const bool snapshots_;  // index snapshots read and written (a file)
  // Where compacted bases go, fixed at opening (BaseStoreFor).
  const FrozenStore base_store_;
  Catalogue catalogue_;  // immutable after Init

  // Serializes writers (mutations, imports, catch-ups) and every use of
  // store_.
  mutable std::mutex write_mu_;
  // The model, read by queries without a lock; written under write_mu_.
  std::unique_ptr<LeftRight<ModelPtr>> model_;
  // The second instance while it is being copied after opening.
  std::future<ModelPtr> twin_;
  std::atomic<uint64_t> published_revision_{0};
  // The revision of the index snapshot this engine last wrote or started
  // from, and when the model last changed (steady clock, ns): what
  // SnapshotIfIdle() goes by.
  std::atomic<uint64_t> snapshot_revision_{0};
  std::atomic<int64_t> last_change_ns_{0};
  // Until the model is loaded (model_ready_), checks read the mapped
  // snapshot, announcing themselves on startup_readers_ (see Decide).
  std::atomic<bool> model_ready_{false};
  std::atomic<bool> load_failed_{false};  // the background load failed
  std::unique_ptr<MappedCheckIndex> startup_;
  ReaderCount startup_readers_;
  // While checks read the snapshot with a follow interval: the connection
  // that watches the database's revision (used by watcher_ only), and
  // whether it has moved past the snapshot (checks then fail closed).
  std::unique_ptr<RevisionWatch> watch_;
  std::atomic<bool> snapshot_behind_{false};
  std::atomic<size_t> compactions_{0};  // CompactIfDue() runs
  // A one-shot engine's full load whose index snapshot is written at
  // closing. Guarded by write_mu_.
  bool snapshot_due_ = false;
  // A change to the two instances began and did not finish (an exception
  // left them apart: Publish, PutInPlace); the next catch-up loads both
  // again from the database (CatchUpLocked). Guarded by write_mu_.
  bool model_dirty_ = false;

  // The follower (OpenOptions::follow_interval) and its bookkeeping.
  // Lock order: write_mu_ before follow_mu_.
  mutable std::mutex follow_mu_;
  std::condition_variable follow_cv_;
  bool stopping_ = false;
  FollowState follow_;
  bool last_look_failed_ = false;  // the last catch-up or load failed
  StartupInfo startup_info_;
  // Loads the model after a snapshot start, then follows and keeps the
  // snapshot current (Background()).
  std::thread background_;
  std::thread watcher_;  // WatchSnapshot()
};

}  // namespace

Result<std::unique_ptr<Engine>> Engine::Open(const std::string& path,
                                             const OpenOptions& options) {
  return CatchAll("open", [&]() -> Result<std::unique_ptr<Engine>> {
    Result<std::unique_ptr<SqliteStore>> store =
        SqliteStore::Open(path, options.create_if_missing, options.read_only);
    if (!store.ok()) return store.status();
    // Every public call goes through the exception boundary.
    auto engine = std::make_unique<GuardedEngine<EngineImpl>>(
        std::move(store).value(), path, options);
    Status s = engine->Init();
    if (!s.ok()) return s;
    return std::unique_ptr<Engine>(std::move(engine));
  });
}

}  // namespace toegang
