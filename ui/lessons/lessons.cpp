// The lessons' text: the article's reasoning, retold for what the app shows.
#include "lessons/lessons.h"

namespace nnstudio::ui {

const std::vector<Lesson>& lessons() {
    static const std::vector<Lesson> all = {
        {"1. Initialisation matters", "deep_tanh_mlp.json", "init_labDock", "",
         "<p>Before the first step, the starting weights decide whether a signal survives ten layers. "
         "Xavier scales each layer so that the variance of tanh activations stays roughly constant "
         "from layer to layer; a plain N(0,1) start drives tanh into saturation, a tiny one lets the "
         "signal fade to nothing, and all-zero weights never break the symmetry between units.</p>"
         "<p>Press <b>Run</b> in the Init lab: the Tanh curve of Xavier stays flat through depth while "
         "the others climb to 1 or sink. <b>Train each</b> then shows which starts actually learn the "
         "Fashion-MNIST sample. For ReLU networks, open the Deep ReLU MLP example: Kaiming is the right "
         "default there, because ReLU silences half of its inputs.</p>"},
        {"2. Train mode vs eval mode", "conditional_net.json", "train_vs_evalDock", "",
         "<p>BatchNorm and Dropout behave differently while training: BatchNorm normalises with the "
         "statistics of the current batch and Dropout silences random units. In eval mode BatchNorm "
         "uses the running averages it gathered and Dropout does nothing.</p>"
         "<p>Forgetting <code>model.eval()</code> gives predictions that change from call to call and, "
         "for a batch of one or two samples, statistics that are meaningless. The Train vs eval view "
         "runs the same batch both ways and shows how far the outputs differ.</p>"},
        {"3. nn.ModuleList, not a plain list", "residual_network.json", "summaryDock", "",
         "<p>PyTorch only finds the layers assigned to a module or held in a container it knows. "
         "Blocks kept in a plain Python list never reach <code>parameters()</code>: the optimizer never "
         "updates them and <code>state_dict()</code> never saves them, with no error at all.</p>"
         "<p>This ResidualNetwork keeps its four blocks in a ModuleList, so the Summary counts every "
         "block's parameters and the state_dict keys read <code>blocks.0.fc1.weight</code>, "
         "<code>blocks.1.fc1.weight</code> and so on. A layer that is missing from this count is a "
         "layer that will not learn.</p>"},
        {"4. Activations in the right place", "deep_mlp.json", "pitfallsDock", "",
         "<p>The usual order inside a hidden block is Linear → BatchNorm → activation → Dropout: "
         "BatchNorm works on the raw pre-activation values, and Dropout zeroes what the activation "
         "produced. The output layer stays a bare Linear: CrossEntropyLoss applies its own softmax, "
         "so a softmax at the end of the model would be applied twice and hurt the gradients.</p>"
         "<p>The Pitfalls view checks this model for such mistakes; move a ReLU before its BatchNorm "
         "or add a Softmax at the end and watch it explain the problem and offer the fix.</p>"},
        {"5. Inspecting gradients", "shallow_mlp.json", "gradientsDock", "",
         "<p>One backward pass before a long run tells whether every layer gets a useful gradient. "
         "Healthy gradients have moderate sizes; gradients that are tiny next to their weights mean "
         "the layer barely learns (vanishing), huge ones mean the steps will overshoot (exploding), "
         "and ReLU units that are zero for every sample will never recover.</p>"
         "<p>Press <b>Run</b> in the Gradients view: each parameter is listed with its layer, the mean, "
         "std and norm of its gradient, and anything suspicious is explained with a fix. While "
         "training, the Plots dock's Gradients tab follows the same numbers step by step.</p>"},
        {"6. Conditional layers for ablation", "conditional_net.json", "inspectorDock", "Flags",
         "<p>An ablation study removes one component at a time to learn what it contributes. "
         "ConditionalNet builds BatchNorm and Dropout only when its flags <code>use_batch_norm</code> "
         "and <code>use_dropout</code> say so, so one model definition covers every variant.</p>"
         "<p>Switch the flags in the <b>Flags</b> tab of the Properties dock, train each variant, and "
         "compare the runs in the Runs view: the state_dict keys of BatchNorm appear and disappear "
         "with the flag, exactly as in the PyTorch class.</p>"},
    };
    return all;
}

}  // namespace nnstudio::ui
