// DataSourceEditor: data source widgets, the preview (debounced) and inline checks.
#include "training/data_source_editor.h"

#include "data/csv_loader.h"
#include "data/fashion_mnist.h"
#include "data/synthetic.h"
#include "training/compact_spin_box.h"
#include "training/dataset_preview.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <exception>

namespace nnstudio::ui {
namespace {

constexpr int kPreviewDelayMs = 150;
const char* const kFile = "file";

struct SourceChoice {
    const char* label;
    const char* name;
};
const SourceChoice kSources[] = {{"Fashion-MNIST (70k images)", "fashion-mnist"},
                                 {"Spirals (2-D)", "spirals"},
                                 {"Moons (2-D)", "moons"},
                                 {"Circles (2-D)", "circles"},
                                 {"XOR (2-D)", "xor"},
                                 {"Blobs (2-D)", "blobs"},
                                 {"CSV or IDX file…", kFile}};

bool hasClassOption(const QString& name) { return name == "spirals" || name == "blobs"; }

}  // namespace

DataSourceEditor::DataSourceEditor(QWidget* parent)
    : QWidget(parent),
      m_source(new QComboBox),
      m_samples(new QSpinBox),
      m_noise(new CompactDoubleSpinBox(0, 10, 0.2)),
      m_classes(new QSpinBox),
      m_dataSeed(new QSpinBox),
      m_path(new QLineEdit),
      m_browse(new QPushButton(tr("Browse…"))),
      m_labelColumn(new QLineEdit),
      m_targetColumns(new QLineEdit),
      m_delimiter(new QComboBox),
      m_header(new QComboBox),
      m_csvPreview(new QLabel),
      m_normalization(new QComboBox),
      m_note(new QLabel),
      m_preview(new DatasetPreview),
      m_form(new QFormLayout),
      m_pathRow(new QWidget) {
    for (const SourceChoice& c : kSources) m_source->addItem(tr(c.label), QString(c.name));
    m_samples->setRange(10, 1'000'000);
    m_samples->setSingleStep(100);
    m_samples->setToolTip(tr("Samples over all classes, before the test and validation splits"));
    m_noise->setToolTip(tr("Standard deviation of the noise (each set has its own scale)"));
    m_classes->setRange(2, 20);
    m_classes->setToolTip(tr("Number of spiral arms or blobs"));
    m_dataSeed->setRange(0, std::numeric_limits<int>::max());
    m_dataSeed->setToolTip(tr("Seed of the generated points (the training seed is separate)"));
    m_path->setPlaceholderText(tr("data.csv, or an IDX prefix such as data/train"));
    m_labelColumn->setPlaceholderText(tr("last column"));
    m_labelColumn->setToolTip(tr("The CSV column holding the class: a header name or a 0-based index"));
    m_targetColumns->setPlaceholderText(tr("none: a label column"));
    m_targetColumns->setToolTip(tr("Float target columns instead of a label column: header names or 0-based indices "
                                   "separated by commas (regression values for MSELoss/L1Loss, 0/1 labels for "
                                   "BCEWithLogitsLoss)"));
    m_source->setObjectName("dataSource");
    m_path->setObjectName("dataPath");
    m_labelColumn->setObjectName("labelColumn");
    m_targetColumns->setObjectName("targetColumns");
    m_delimiter->setObjectName("csvDelimiter");
    m_header->setObjectName("csvHeader");
    m_delimiter->addItem(tr("Detect"), "");
    m_delimiter->addItem(tr("Comma ,"), ",");
    m_delimiter->addItem(tr("Semicolon ;"), ";");
    m_delimiter->addItem(tr("Tab"), "tab");
    m_delimiter->addItem(tr("Bar |"), "|");
    m_delimiter->setToolTip(tr("Detected as Python's csv.Sniffer does unless chosen here"));
    m_header->addItem(tr("Detect"), "auto");
    m_header->addItem(tr("First row is a header"), "yes");
    m_header->addItem(tr("No header: every row is data"), "no");
    m_csvPreview->setTextFormat(Qt::RichText);
    m_csvPreview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_normalization->addItem(tr("Global mean/std"), "global");
    m_normalization->addItem(tr("Per feature (standardise)"), "per_feature");
    m_normalization->addItem(tr("None (pixels scaled to [0, 1])"), "none");
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* pathLayout = new QHBoxLayout(m_pathRow);
    pathLayout->setContentsMargins(0, 0, 0, 0);
    pathLayout->addWidget(m_path, 1);
    pathLayout->addWidget(m_browse);

    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->addRow(tr("Source"), m_source);
    m_form->addRow(tr("Samples"), m_samples);
    m_form->addRow(tr("Noise"), m_noise);
    m_form->addRow(tr("Classes"), m_classes);
    m_form->addRow(tr("Data seed"), m_dataSeed);
    m_form->addRow(tr("File"), m_pathRow);
    m_form->addRow(tr("Label column"), m_labelColumn);
    m_form->addRow(tr("Target columns"), m_targetColumns);
    m_form->addRow(tr("Delimiter"), m_delimiter);
    m_form->addRow(tr("Header row"), m_header);
    m_form->addRow(tr("Normalisation"), m_normalization);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_form);
    layout->addWidget(m_note);
    layout->addWidget(m_csvPreview);
    layout->addWidget(m_preview);

    m_previewTimer.setSingleShot(true);
    m_previewTimer.setInterval(kPreviewDelayMs);
    connect(&m_previewTimer, &QTimer::timeout, this, &DataSourceEditor::updatePreview);
    connect(m_source, &QComboBox::currentIndexChanged, this, &DataSourceEditor::onSourceChanged);
    connect(m_samples, &QSpinBox::valueChanged, this, &DataSourceEditor::onEdited);
    connect(m_noise, &QDoubleSpinBox::valueChanged, this, &DataSourceEditor::onEdited);
    connect(m_classes, &QSpinBox::valueChanged, this, &DataSourceEditor::onEdited);
    connect(m_dataSeed, &QSpinBox::valueChanged, this, &DataSourceEditor::onEdited);
    connect(m_path, &QLineEdit::textChanged, this, &DataSourceEditor::onEdited);
    connect(m_labelColumn, &QLineEdit::textChanged, this, &DataSourceEditor::onEdited);
    connect(m_targetColumns, &QLineEdit::textChanged, this, &DataSourceEditor::onEdited);
    connect(m_delimiter, &QComboBox::currentIndexChanged, this, &DataSourceEditor::onEdited);
    connect(m_header, &QComboBox::currentIndexChanged, this, &DataSourceEditor::onEdited);
    connect(m_normalization, &QComboBox::currentIndexChanged, this, &DataSourceEditor::changed);
    connect(m_browse, &QPushButton::clicked, this, &DataSourceEditor::browse);
    onSourceChanged();
}

QString DataSourceEditor::sourceName() const { return m_source->currentData().toString(); }

void DataSourceEditor::setSetup(const train::TrainSetup& setup) {
    const QSignalBlocker blockers[] = {QSignalBlocker(m_source), QSignalBlocker(m_samples), QSignalBlocker(m_noise),
                                       QSignalBlocker(m_classes), QSignalBlocker(m_dataSeed), QSignalBlocker(m_path),
                                       QSignalBlocker(m_labelColumn), QSignalBlocker(m_targetColumns), QSignalBlocker(m_normalization),
                                       QSignalBlocker(m_delimiter), QSignalBlocker(m_header)};
    const QString data = QString::fromStdString(setup.data);
    const QString name = data == "fashion_mnist" ? "fashion-mnist" : data;
    const int index = m_source->findData(name);
    m_source->setCurrentIndex(index >= 0 ? index : m_source->findData(kFile));
    m_path->setText(index >= 0 ? QString() : data);
    m_samples->setValue(static_cast<int>(std::clamp<int64_t>(setup.synthetic.samples, 10, 1'000'000)));
    const std::string synthetic = data::is_synthetic_name(name.toStdString()) ? name.toStdString() : "spirals";
    m_noise->setValue(setup.synthetic.noise.value_or(data::default_synthetic_noise(synthetic)));
    m_classes->setValue(static_cast<int>(std::clamp<int64_t>(setup.synthetic.classes ? setup.synthetic.classes : 3, 2, 20)));
    m_dataSeed->setValue(static_cast<int>(std::min<uint64_t>(setup.synthetic.seed, std::numeric_limits<int>::max())));
    m_labelColumn->setText(QString::fromStdString(setup.csv_label_column));
    m_targetColumns->setText(QString::fromStdString(setup.csv_target_columns));
    m_delimiter->setCurrentIndex(std::max(0, m_delimiter->findData(QString::fromStdString(setup.csv_delimiter))));
    m_header->setCurrentIndex(std::max(0, m_header->findData(QString::fromStdString(setup.csv_header))));
    m_normalization->setCurrentIndex(std::max(0, m_normalization->findData(QString::fromStdString(data::to_string(setup.normalization)))));
    updateVisibility();
    updatePreview();
}

void DataSourceEditor::applyTo(train::TrainSetup& setup) const {
    const QString name = sourceName();
    setup.data = name == kFile ? m_path->text().trimmed().toStdString() : name.toStdString();
    setup.normalization = data::parse_normalization_kind(m_normalization->currentData().toString().toStdString());
    if (data::is_synthetic_name(name.toStdString())) {
        setup.synthetic.samples = m_samples->value();
        setup.synthetic.noise = m_noise->value();
        setup.synthetic.classes = hasClassOption(name) ? m_classes->value() : 0;
        setup.synthetic.seed = static_cast<uint64_t>(m_dataSeed->value());
    }
    setup.csv_label_column = name == kFile ? m_labelColumn->text().trimmed().toStdString() : std::string();
    setup.csv_target_columns = name == kFile ? m_targetColumns->text().trimmed().toStdString() : std::string();
    setup.csv_delimiter = name == kFile ? m_delimiter->currentData().toString().toStdString() : std::string();
    setup.csv_header = name == kFile ? m_header->currentData().toString().toStdString() : std::string("auto");
}

QString DataSourceEditor::problem() const { return m_problem; }

void DataSourceEditor::onSourceChanged() {
    const std::string name = sourceName().toStdString();
    if (data::is_synthetic_name(name)) {
        const QSignalBlocker block(m_noise);
        m_noise->setValue(data::default_synthetic_noise(name));
    }
    updateVisibility();
    updatePreview();
    emit changed();
}

void DataSourceEditor::onEdited() {
    m_previewTimer.start();
    emit changed();
}

void DataSourceEditor::updateVisibility() {
    const QString name = sourceName();
    const bool synthetic = data::is_synthetic_name(name.toStdString()), file = name == kFile;
    m_form->setRowVisible(m_samples, synthetic);
    m_form->setRowVisible(m_noise, synthetic);
    m_form->setRowVisible(m_classes, hasClassOption(name));
    m_form->setRowVisible(m_dataSeed, synthetic);
    m_form->setRowVisible(m_pathRow, file);
    m_form->setRowVisible(m_labelColumn, file);
    m_form->setRowVisible(m_targetColumns, file);
    m_form->setRowVisible(m_delimiter, file);
    m_form->setRowVisible(m_header, file);
    m_preview->setVisible(synthetic);
}

// Regenerates the synthetic preview and re-checks the file/Fashion-MNIST availability.
void DataSourceEditor::updatePreview() {
    const QString name = sourceName();
    m_problem.clear();
    m_csvPreview->clear();
    QString note;
    if (name == "fashion-mnist") {
        if (data::fashion_mnist_available())
            note = tr("60000 training and 10000 test images of 28×28 pixels, 10 classes.");
        else
            m_problem = tr("Fashion-MNIST was not found in %1: download its four .gz files there")
                            .arg(QString::fromStdString(data::default_fashion_mnist_dir()));
    } else if (name == kFile) {
        const QString path = m_path->text().trimmed();
        if (path.isEmpty()) m_problem = tr("Choose a CSV file (or an IDX prefix)");
        else if (path.endsWith(".csv", Qt::CaseInsensitive) || path.endsWith(".csv.gz", Qt::CaseInsensitive)) {
            if (!QFileInfo(path).isFile()) {
                m_problem = tr("%1 does not exist").arg(path);
            } else {
                try {
                    m_csvPreview->setText(csvPreview(path));
                    note = m_targetColumns->text().trimmed().isEmpty()
                               ? tr("The label column holds the class; every other column is a feature.")
                               : tr("The target columns hold float targets (compared with the output as they are, "
                                    "never normalised); every other column is a feature.");
                } catch (const std::exception& e) {
                    m_problem = QString::fromStdString(e.what());
                }
            }
        }
    } else {
        train::TrainSetup setup;
        applyTo(setup);
        try {
            const data::Dataset set = data::make_synthetic(setup.data, setup.synthetic);
            m_preview->showDataset(set);
            note = tr("%1 points, %2 classes; 20% are held out as the test set.").arg(set.size()).arg(set.num_classes());
        } catch (const std::exception& e) {
            m_preview->showNothing();
            m_problem = QString::fromStdString(e.what());
        }
    }
    m_note->setText(m_problem.isEmpty() ? note : m_problem);
    m_note->setStyleSheet(m_problem.isEmpty() ? "color: palette(mid);" : "color: #b00020;");
    emit problemChanged();
}

QString DataSourceEditor::csvPreview(const QString& path) {
    train::TrainSetup setup;
    applyTo(setup);
    const data::CsvPreview p = data::preview_csv(path.toStdString(), train::data_options_for(setup).csv);
    const auto cell = [](const std::string& text) { return "<td>" + QString::fromStdString(text).toHtmlEscaped() + "</td>"; };
    QString html = "<p>" + QString::fromStdString(p.dialect.describe()).toHtmlEscaped() + "</p><table><tr>";
    const std::vector<size_t>& targets = p.dialect.target_indices;
    const auto heading = [&](size_t k, const QString& role) {
        return "<th>" + QString::fromStdString(p.dialect.columns[k]).toHtmlEscaped() + role + "</th>";
    };
    for (size_t k = 0; k < p.dialect.columns.size(); ++k)
        if (targets.empty() ? k != p.dialect.label_index : std::find(targets.begin(), targets.end(), k) == targets.end())
            html += heading(k, "");
    if (targets.empty()) html += heading(p.dialect.label_index, " (class)");
    for (size_t k : targets) html += heading(k, " (target)");
    html += "</tr>";
    for (int64_t i = 0; i < p.head.size(); ++i) {
        html += "<tr>";
        for (int64_t k = 0; k < p.head.feature_size(); ++k) html += cell(QString::number(p.head.value(i, k)).toStdString());
        if (p.head.has_targets())
            for (int64_t t = 0; t < p.head.target_width(); ++t) html += cell(QString::number(p.head.target(i)[t]).toStdString());
        else
            html += cell(std::to_string(p.head.label(i)) + (p.head.class_names().empty() ? "" : " = " + p.head.class_name(p.head.label(i))));
        html += "</tr>";
    }
    html += "</table>";
    if (p.more) html += "<p>…</p>";
    return html;
}

void DataSourceEditor::browse() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Training data"), QFileInfo(m_path->text()).absolutePath(),
                                                      tr("CSV tables (*.csv *.csv.gz);;All files (*)"));
    if (!path.isEmpty()) m_path->setText(path);
}

}  // namespace nnstudio::ui
