// PlaygroundPanel: the "Decision boundary" dock's contents — the decision map, the hidden
// layers' pictures and the run's controls (play / pause, single step, reset, speed, learning
// rate, weight decay, noise) over a PlaygroundSession of the document's model and data.
#pragma once
#include "playground/playground_session.h"

#include <QTimer>
#include <QWidget>
#include <functional>
#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;

namespace nnstudio::ui {

class DecisionBoundaryView;
class NeuronPicturesView;

class PlaygroundPanel : public QWidget {
    Q_OBJECT
public:
    explicit PlaygroundPanel(QWidget* parent = nullptr);
    ~PlaygroundPanel() override;

    // A new session for this model and setup (a no-op when both are as before). A model or setup
    // the playground cannot run (not a 2-D classifier, not a 2-D data set) shows why instead.
    void setSource(const spec::ModelSpec& spec, const spec::FlagValues& flags, const train::TrainSetup& setup);
    void clear(const QString& message);  // no session; the message says why

    PlaygroundSession* session() const { return m_session.get(); }  // null when there is none
    std::shared_ptr<const PlaygroundFrame> frame() const { return m_frame; }  // the one shown
    // The controls, for tests and shortcuts.
    QPushButton* playButton() const { return m_play; }
    QPushButton* stepButton() const { return m_step; }
    QPushButton* resetButton() const { return m_reset; }
    QComboBox* speedBox() const { return m_speed; }
    QComboBox* learningRateBox() const { return m_lr; }
    QComboBox* weightDecayBox() const { return m_weightDecay; }
    QDoubleSpinBox* noiseBox() const { return m_noise; }

signals:
    void frameShown();  // after a new frame reached the views

protected:
    void hideEvent(QHideEvent* event) override;  // a hidden playground stops computing

private:
    void pollFrame();
    void syncControls();  // the controls show the session's settings
    void updatePlayButton();
    void applyComboNumber(QComboBox* box, const std::function<void(double)>& apply);

    std::unique_ptr<PlaygroundSession> m_session;
    std::string m_sourceKey;  // the model and setup the session was made from
    std::shared_ptr<const PlaygroundFrame> m_frame;
    QTimer m_poll;
    DecisionBoundaryView* m_boundary;
    NeuronPicturesView* m_neurons;
    QPushButton *m_play, *m_step, *m_reset;
    QComboBox *m_speed, *m_lr, *m_weightDecay;
    QDoubleSpinBox* m_noise;
    QLabel* m_stats;
};

}  // namespace nnstudio::ui
