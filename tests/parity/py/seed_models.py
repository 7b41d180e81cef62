"""The seed article's five model classes, verbatim in structure (keys, order, shapes)."""
import torch
import torch.nn as nn


class SimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


class ShallowMLP(nn.Module):
    def __init__(self, input_size=784, hidden_size=128, num_classes=10):
        super().__init__()
        self.fc1 = nn.Linear(input_size, hidden_size)
        self.fc2 = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


class DeepMLP(nn.Module):
    def __init__(self, input_size=784, hidden_sizes=(512, 256, 128), num_classes=10, dropout_rate=0.2):
        super().__init__()
        layers = []
        prev = input_size
        for h in hidden_sizes:
            layers += [nn.Linear(prev, h), nn.BatchNorm1d(h), nn.ReLU(), nn.Dropout(dropout_rate)]
            prev = h
        layers.append(nn.Linear(prev, num_classes))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class ResidualBlock(nn.Module):
    def __init__(self, in_features, hidden_features, dropout_rate=0.2):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden_features)
        self.bn1 = nn.BatchNorm1d(hidden_features)
        self.fc2 = nn.Linear(hidden_features, in_features)
        self.bn2 = nn.BatchNorm1d(in_features)
        self.dropout = nn.Dropout(dropout_rate)

    def forward(self, x):
        identity = x
        out = self.fc1(x)
        out = self.bn1(out)
        out = torch.relu(out)
        out = self.dropout(out)
        out = self.fc2(out)
        out = self.bn2(out)
        out += identity
        return torch.relu(out)


class ResidualNetwork(nn.Module):
    def __init__(self, input_size=784, num_blocks=4, block_features=256, num_classes=10, dropout_rate=0.2):
        super().__init__()
        self.input_layer = nn.Linear(input_size, block_features)
        self.bn_input = nn.BatchNorm1d(block_features)
        self.blocks = nn.ModuleList([ResidualBlock(block_features, block_features // 2, dropout_rate)
                                     for _ in range(num_blocks)])
        self.output_layer = nn.Linear(block_features, num_classes)

    def forward(self, x):
        x = torch.relu(self.bn_input(self.input_layer(x)))
        for block in self.blocks:
            x = block(x)
        return self.output_layer(x)


class ConditionalNet(nn.Module):
    def __init__(self, use_batch_norm=True, use_dropout=True, dropout_rate=0.5):
        super().__init__()
        self.use_batch_norm = use_batch_norm
        self.use_dropout = use_dropout
        self.fc1 = nn.Linear(784, 256)
        if self.use_batch_norm:
            self.bn1 = nn.BatchNorm1d(256)
        self.dropout = nn.Dropout(dropout_rate) if self.use_dropout else None
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        x = self.fc1(x)
        if self.use_batch_norm:
            x = self.bn1(x)
        x = torch.relu(x)
        if self.use_dropout:
            x = self.dropout(x)
        return self.fc2(x)


SEED_CLASSES = {
    "SimpleNet": SimpleNet,
    "ShallowMLP": ShallowMLP,
    "DeepMLP": DeepMLP,
    "ResidualNetwork": ResidualNetwork,
    "ConditionalNet": ConditionalNet,
}
