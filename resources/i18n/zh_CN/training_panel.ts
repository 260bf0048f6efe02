<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Built-in shapes (offline)</source>
        <translation>内置图形（离线）</translation>
    </message>
    <message>
        <source>CIFAR-10 (data folder)</source>
        <translation>CIFAR-10（数据文件夹）</translation>
    </message>
    <message>
        <source>Image folder…</source>
        <translation>图片文件夹…</translation>
    </message>
    <message>
        <source>folder with train/&lt;class&gt;/ and test/&lt;class&gt;/</source>
        <translation>包含 train/&lt;类别&gt;/ 和 test/&lt;类别&gt;/ 的文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Download CIFAR-10…</source>
        <translation>下载 CIFAR-10…</translation>
    </message>
    <message>
        <source>CIFAR-10 is not in the data folder yet</source>
        <translation>数据文件夹中还没有 CIFAR-10</translation>
    </message>
    <message>
        <source>Network file (.json)…</source>
        <translation>网络文件（.json）…</translation>
    </message>
    <message>
        <source>a network saved by the Builder</source>
        <translation>由构建器保存的网络</translation>
    </message>
    <message>
        <source>Can be changed while training runs.</source>
        <translation>训练过程中也可以修改。</translation>
    </message>
    <message>
        <source>torch threads for training; 1 is fastest for small batches beside the GUI</source>
        <translation>训练用的 torch 线程数；小批量且界面同时运行时 1 最快</translation>
    </message>
    <message>
        <source>Log to TensorBoard</source>
        <translation>记录到 TensorBoard</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>LR scheduler</source>
        <translation>学习率调度器</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>Recipe (defaults: the blitz&apos;s)</source>
        <translation>训练配方（默认值同 60 分钟入门教程）</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>While paused: train exactly one mini-batch</source>
        <translation>暂停时：只训练一个小批量</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Save checkpoint…</source>
        <translation>保存检查点…</translation>
    </message>
    <message>
        <source>Load checkpoint…</source>
        <translation>加载检查点…</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Test the current model (last trained or loaded) on the test images, without training</source>
        <translation>在测试图像上测试当前模型（最近训练或加载的），不进行训练</translation>
    </message>
    <message>
        <source>Not training</source>
        <translation>未在训练</translation>
    </message>
    <message>
        <source>epoch progress %p %</source>
        <translation>本轮进度 %p %</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Choose the image folder first.</source>
        <translation>请先选择图片文件夹。</translation>
    </message>
    <message>
        <source>Choose a network file first.</source>
        <translation>请先选择网络文件。</translation>
    </message>
    <message>
        <source>From the Builder: {}</source>
        <translation>来自构建器：{}</translation>
    </message>
    <message>
        <source>Training device: {}</source>
        <translation>训练设备：{}</translation>
    </message>
    <message>
        <source>Loading the dataset…</source>
        <translation>正在加载数据集…</translation>
    </message>
    <message>
        <source>Evaluating {} on the test images…</source>
        <translation>正在测试图像上评估 {}…</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>{:,.0f} images/s</source>
        <translation>{:,.0f} 张图片/秒</translation>
    </message>
    <message>
        <source>{state} · epoch {epoch}/{epochs} · step {step}/{steps} · loss {loss:.3f} · ETA {eta}</source>
        <translation>{state} · 第 {epoch}/{epochs} 轮 · 第 {step}/{steps} 步 · 损失 {loss:.3f} · 剩余 {eta}</translation>
    </message>
    <message>
        <source>Training finished.</source>
        <translation>训练完成。</translation>
    </message>
    <message>
        <source>Training stopped; the partial run is kept and can be saved.</source>
        <translation>训练已停止；部分运行结果已保留，可以保存。</translation>
    </message>
    <message>
        <source>Training stopped: the loss is no longer a number. The curves are kept.</source>
        <translation>训练已停止：损失值不再是有效数字。曲线已保留。</translation>
    </message>
    <message>
        <source>Training stopped: out of memory.</source>
        <translation>训练已停止：内存不足。</translation>
    </message>
    <message>
        <source>Cannot start training:</source>
        <translation>无法开始训练：</translation>
    </message>
    <message>
        <source>Last run: {:,.0f} images/s</source>
        <translation>上次运行：{:,.0f} 张图片/秒</translation>
    </message>
    <message>
        <source>Cannot evaluate: {}</source>
        <translation>无法评估：{}</translation>
    </message>
    <message>
        <source>Evaluated {model}: {accuracy:.1f} % of {count} test images right.</source>
        <translation>已评估 {model}：{count} 张测试图像中 {accuracy:.1f} % 预测正确。</translation>
    </message>
    <message>
        <source>Training failed: {}</source>
        <translation>训练失败：{}</translation>
    </message>
    <message>
        <source>Train a model first; then its weights can be saved.</source>
        <translation>请先训练模型，然后才能保存其权重。</translation>
    </message>
    <message>
        <source>Cannot save {}: {}</source>
        <translation>无法保存 {}：{}</translation>
    </message>
    <message>
        <source>Saved the weights to {}</source>
        <translation>权重已保存到 {}</translation>
    </message>
    <message>
        <source>Checkpoint refused: {}</source>
        <translation>检查点被拒绝：{}</translation>
    </message>
    <message>
        <source>Checkpoint {} ({})</source>
        <translation>检查点 {}（{}）</translation>
    </message>
    <message>
        <source>Loaded {} into {}; Start continues training from these weights.</source>
        <translation>已将 {} 加载到 {}；点击开始将从这些权重继续训练。</translation>
    </message>
    <message>
        <source>Save checkpoint</source>
        <translation>保存检查点</translation>
    </message>
    <message>
        <source>Load checkpoint</source>
        <translation>加载检查点</translation>
    </message>
    <message>
        <source>Image folder</source>
        <translation>图片文件夹</translation>
    </message>
    <message>
        <source>Download CIFAR-10 to see its images, or choose the built-in dataset.</source>
        <translation>下载 CIFAR-10 后即可查看其图像，或选择内置数据集。</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Measured at batch {batch}: CPU {cpu:,.0f} images/s, GPU {gpu:,.0f} images/s ({ratio:.1f}×). Small models gain little from a GPU at small batches.</source>
        <translation>批大小 {batch} 的实测速度：CPU {cpu:,.0f} 张图片/秒，GPU {gpu:,.0f} 张图片/秒（{ratio:.1f}×）。小模型在小批量下用 GPU 提升不大。</translation>
    </message>
    <message>
        <source>Measured at batch {batch}: {device} {speed:,.0f} images/s. Train on the other device too to compare CPU and GPU.</source>
        <translation>批大小 {batch} 的实测速度：{device} {speed:,.0f} 张图片/秒。在另一种设备上也训练一次即可比较 CPU 和 GPU。</translation>
    </message>
</context>
</TS>
