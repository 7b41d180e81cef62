// TrainingSession: everything between "a model spec + flags + TrainSetup (or a run folder to
// resume)" and "a Trainer ready to run" — build, initialise, load the data, create or open the
// run folder, restore the checkpoint. One implementation for the CLI and the GUI.
#pragma once
#include "data/data_source.h"
#include "nn/model.h"
#include "spec/model_builder.h"
#include "spec/model_spec.h"
#include "train/run_directory.h"
#include "train/train_setup.h"
#include "train/trainer.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnstudio::train {

// Everything about a setup that can be checked without a model or loading data: the setup's
// fields, the loss, optimizer and scheduler options, the initializer, the data source's name and
// the label column, and a loss that takes class indices with float target columns. Throws the
// SpecError/DataError/Error the run would throw, so a form can show it early.
void check_train_setup(const TrainSetup& setup);

class TrainingSession {
public:
    // A new run. `setup.init` (when set) replaces the spec's "init"; `run_dir` empty: no run folder
    // (else it is created after the data loaded, so a bad data path leaves no folder behind).
    // Throws SpecError/ShapeError/DataError/Error with a message naming what to fix.
    // The run computes on setup.device through the registry (backend_or_cpu: a device that cannot
    // be used falls back to the CPU with a note); on the CPU it uses this thread's
    // default_backend() (the desktop app's leaves a core to the GUI).
    static std::unique_ptr<TrainingSession> start(const spec::ModelSpec& spec, const spec::FlagValues& flags,
                                                  TrainSetup setup, const std::string& run_dir = "");
    // Continues the run folder from its last checkpoint (from the start when it has none yet),
    // with the model, flags and setup saved there.
    static std::unique_ptr<TrainingSession> resume(const std::string& run_dir);

    TrainingSession(const TrainingSession&) = delete;  // the Trainer refers to the model and data
    TrainingSession& operator=(const TrainingSession&) = delete;

    Trainer& trainer() { return *m_trainer; }
    nn::Model& model() { return *m_model; }
    const spec::ModelSpec& spec() const { return m_spec; }
    const TrainSetup& setup() const { return m_setup; }  // as run (e.g. device "cpu" after a fallback)
    const data::LoadedData& data() const { return m_data; }
    RunDirectory* run_directory() { return m_run_dir ? &*m_run_dir : nullptr; }
    // The epochs a resumed run had completed; nullopt for a new run or a folder without checkpoint.
    std::optional<int> resumed_after_epoch() const { return m_resumed_after; }
    // Things the user should know that are not errors (e.g. a GPU that cannot be used: the CPU instead).
    const std::vector<std::string>& notes() const { return m_notes; }

private:
    TrainingSession() = default;
    void prepare(const spec::FlagValues& flags, const std::string& new_run_dir, const std::optional<Checkpoint>& checkpoint);

    spec::ModelSpec m_spec;
    TrainSetup m_setup;
    std::optional<nn::Model> m_model;
    data::LoadedData m_data;
    std::optional<RunDirectory> m_run_dir;
    std::unique_ptr<Trainer> m_trainer;
    std::optional<int> m_resumed_after;
    std::vector<std::string> m_notes;
};

}  // namespace nnstudio::train
