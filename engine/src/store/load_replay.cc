#include "store/load_replay.h"

#include <fmt/format.h>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/time_util.h"
#include "model/text_forms.h"
#include "toegang/error_codes.h"

namespace toegang {

uint64_t LoadRow::Digits(int col) const {
  return FromDigits(Text(col)).value_or(0);
}

namespace {

// The provenance in the columns by_insz, revision, at from col on.
Provenance ProvenanceAt(const LoadRow& r, int col) {
  return Provenance{r.Digits(col), static_cast<uint64_t>(r.Integer(col + 1)),
                    ParseUtc(r.Text(col + 2))};
}

// The catalogue's ids of the codes in a row, 0 for a code it does not know.
class CodeIds {
 public:
  explicit CodeIds(const Catalogue& cat) : cat_(cat) {}

  CapacityId Capacity(std::string_view code) const {
    Result<CapacityId> c = cat_.FindCapacity(code);
    return c.ok() ? *c : CapacityId{0};
  }
  SubdivisionId Subdivision(std::string_view code, CapacityId c) const {
    Result<SubdivisionId> s = cat_.FindSubdivision(code, c);
    return s.ok() ? *s : SubdivisionId{0};
  }
  AppId Application(std::string_view code) const {
    Result<AppId> a = cat_.FindApplication(code);
    return a.ok() ? *a : AppId{0};
  }

 private:
  const Catalogue& cat_;
};

void ReplayRegistry(LoadSink* sink, const LoadStepRunner& run) {
  run(LoadStep::kEnterprises, [&](const LoadRow& r) {
    sink->Enterprise(r.Digits(0), r.Text(1), r.Integer(2) != 0, r.Text(3),
                     r.Text(4));
  });
  run(LoadStep::kPersons,
      [&](const LoadRow& r) { sink->Person(r.Digits(0), r.Text(1)); });
  run(LoadStep::kFunctions, [&](const LoadRow& r) {
    sink->Function(r.Digits(0), r.Digits(1),
                   r.Text(2) == "employee"
                       ? FunctionRole::kEmployee
                       : FunctionRole::kLegalRepresentative);
  });
  std::vector<std::pair<uint64_t, uint64_t>> ended;
  run(LoadStep::kEndedFunctions,
      [&](const LoadRow& r) { ended.emplace_back(r.Digits(0), r.Digits(1)); });
  sink->EndedLegalRepresentatives(std::move(ended));
  run(LoadStep::kFacilities, [&](const LoadRow& r) {
    sink->Facility(std::string(r.Text(0)), std::string(r.Text(1)),
                   std::string(r.Text(2)), r.Digits(3), r.Integer(4) != 0);
  });
}

}  // namespace

void ReplayLoad(LoadSink* sink, const LoadStepRunner& run) {
  ReplayRegistry(sink, run);

  // The delegation state replays as ops, through the same code path as
  // live mutations.
  const CodeIds ids(sink->catalogue());
  run(LoadStep::kHtbs, [&](const LoadRow& r) {
    Op op;
    op.kind = Action::kAppointHtb;
    op.kbo = r.Digits(0);
    op.insz = r.Digits(1);
    op.email = r.Text(2);
    op.phone = r.Text(3);
    op.wv_email = r.Text(7);
    op.wv_phone = r.Text(8);
    sink->Apply(op, ProvenanceAt(r, 4));
  });
  run(LoadStep::kActiveCapacities, [&](const LoadRow& r) {
    Op op;
    op.kind = Action::kActivateCapacity;
    op.kbo = r.Digits(0);
    op.capacity = ids.Capacity(r.Text(1));
    sink->Apply(op, ProvenanceAt(r, 2));
  });
  run(LoadStep::kDomainManagers, [&](const LoadRow& r) {
    Op op;
    op.kind = r.Text(4) == "tb" ? Action::kSetTb : Action::kAddCoTb;
    op.kbo = r.Digits(0);
    op.capacity = ids.Capacity(r.Text(1));
    op.subdivision = ids.Subdivision(r.Text(2), op.capacity);
    op.insz = r.Digits(3);
    sink->Apply(op, ProvenanceAt(r, 5));
  });
  std::unordered_map<int64_t, uint64_t> subafdeling_kbo;
  run(LoadStep::kSubafdelingen, [&](const LoadRow& r) {
    Op op;
    op.kind = Action::kCreateSubafdeling;
    op.subafdeling = r.Integer(0);
    op.kbo = r.Digits(1);
    op.capacity = ids.Capacity(r.Text(2));
    op.subdivision = ids.Subdivision(r.Text(3), op.capacity);
    op.hco = r.Text(4);
    op.email = r.Text(5);
    subafdeling_kbo[op.subafdeling] = op.kbo;
    sink->Apply(op, ProvenanceAt(r, 6));
  });

  // The ops below carry no text: one Op serves every row. The users and
  // rights, most of the rows, are staged (LoadSink::ApplyStaged).
  auto replay = [&](LoadStep step, Action kind, bool has_insz, bool has_app,
                    bool staged) {
    Op op;
    op.kind = kind;
    int64_t last_subafdeling = 0;
    uint64_t last_kbo = 0;
    run(step, [&](const LoadRow& r) {
      op.subafdeling = r.Integer(0);
      // Rows mostly come grouped by subafdeling: look its enterprise up
      // when it changes.
      if (op.subafdeling != last_subafdeling || last_subafdeling == 0) {
        last_subafdeling = op.subafdeling;
        last_kbo = subafdeling_kbo[op.subafdeling];
      }
      op.kbo = last_kbo;
      int col = 1;
      if (has_insz) op.insz = r.Digits(col++);
      if (has_app) op.app = ids.Application(r.Text(col++));
      if (staged) {
        sink->ApplyStaged(op, ProvenanceAt(r, col));
      } else {
        sink->Apply(op, ProvenanceAt(r, col));
      }
    });
  };
  replay(LoadStep::kAuthorizations, Action::kAuthorize, false, true, false);
  replay(LoadStep::kSubafdelingManagers, Action::kAddManager, true, false,
         false);
  replay(LoadStep::kUsers, Action::kAddUser, true, false, true);
  replay(LoadStep::kUserRights, Action::kGrantRight, true, true, true);
}

Status ReplayCatalogue(Catalogue* out, const CatalogueRunner& run) {
  *out = Catalogue();
  run("SELECT code, name FROM capacity", [&](const LoadRow& r) {
    out->AddCapacity({std::string(r.Text(0)), std::string(r.Text(1))});
  });
  auto capacity_id = [&](std::string_view code) -> CapacityId {
    Result<CapacityId> c = out->FindCapacity(code);
    return c.ok() ? *c : CapacityId{0};
  };
  run("SELECT code, name, capacity FROM subdivision", [&](const LoadRow& r) {
    out->AddSubdivision({std::string(r.Text(0)), std::string(r.Text(1)),
                         capacity_id(r.Text(2))});
  });
  bool too_many = false;
  run("SELECT code, name, capacity FROM application", [&](const LoadRow& r) {
    too_many =
        !out->AddApplication({std::string(r.Text(0)), std::string(r.Text(1)),
                              capacity_id(r.Text(2))}) ||
        too_many;
  });
  if (too_many) {
    return Status::Storage(code::kStorageError,
                           "the catalogue has more applications than toegang "
                           "supports (64)");
  }
  std::string bad_alias;
  run("SELECT alias, application FROM application_alias",
      [&](const LoadRow& r) {
        Result<AppId> app = out->FindApplication(r.Text(1));
        const std::string alias(r.Text(0));
        if ((!app.ok() || !out->AddApplicationAlias(alias, *app)) &&
            bad_alias.empty()) {
          bad_alias = alias;
        }
      });
  if (!bad_alias.empty()) {
    return Status::Storage(
        code::kStorageError,
        fmt::format("the catalogue's application alias \"{}\" names no "
                    "application or one already named so",
                    bad_alias));
  }
  run("SELECT application, trigger_type, allowed_type FROM facility_rule",
      [&](const LoadRow& r) {
        Result<AppId> app = out->FindApplication(r.Text(0));
        if (app.ok()) {
          out->AddFacilityRule(*app, std::string(r.Text(1)),
                               std::string(r.Text(2)));
        }
      });
  return Status::Ok();
}

}  // namespace toegang
