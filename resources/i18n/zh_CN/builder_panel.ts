<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BuilderPanel</name>
    <message>
        <source>Load a preset…</source>
        <translation>载入预设…</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Open a network file (.json)</source>
        <translation>打开网络文件（.json）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save the network as JSON</source>
        <translation>将网络保存为 JSON</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Undo {}</source>
        <translation>撤销：{}</translation>
    </message>
    <message>
        <source>Redo {}</source>
        <translation>重做：{}</translation>
    </message>
    <message>
        <source>Send to REPL</source>
        <translation>发送到 REPL</translation>
    </message>
    <message>
        <source>Run the code in the REPL: defines Net and net = Net()</source>
        <translation>在 REPL 中运行代码：定义 Net 并执行 net = Net()</translation>
    </message>
    <message>
        <source>Use for training</source>
        <translation>用于训练</translation>
    </message>
    <message>
        <source>Hand this model to the Training panel</source>
        <translation>把这个模型交给训练面板</translation>
    </message>
    <message>
        <source>Show graph</source>
        <translation>显示计算图</translation>
    </message>
    <message>
        <source>Run one random input and show its autograd graph</source>
        <translation>用一个随机输入运行一次并显示其 autograd 计算图</translation>
    </message>
    <message>
        <source>The network file, and whether the design has changed since it was saved</source>
        <translation>网络文件，以及设计在保存后是否有改动</translation>
    </message>
    <message>
        <source>Palette</source>
        <translation>层库</translation>
    </message>
    <message>
        <source>Enter, double-click or drag a layer into the list to add it</source>
        <translation>按回车、双击或把层拖到列表中即可添加</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>卷积</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>全连接</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活</translation>
    </message>
    <message>
        <source>Normalization</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>Regularization</source>
        <translation>正则化</translation>
    </message>
    <message>
        <source>Recurrent</source>
        <translation>循环</translation>
    </message>
    <message>
        <source>Input shape (N×C×H×W):</source>
        <translation>输入形状（N×C×H×W）：</translation>
    </message>
    <message>
        <source>Batch size, then one sample&apos;s shape, e.g. 1×3×32×32 or 4, 1, 28, 28</source>
        <translation>先写批大小，再写单个样本的形状，例如 1×3×32×32 或 4, 1, 28, 28</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>输出形状</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>乘加数</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add the palette&apos;s selected layer after the selected layer (Insert)</source>
        <translation>在所选层之后添加层库中选中的层（Insert）</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Duplicate the selected layer (Ctrl+D)</source>
        <translation>复制所选层（Ctrl+D）</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove the selected layer (Delete)</source>
        <translation>删除所选层（Delete）</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Alt+Up; or drag the row</source>
        <translation>Alt+上；或拖动该行</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Alt+Down; or drag the row</source>
        <translation>Alt+下；或拖动该行</translation>
    </message>
    <message>
        <source>Add layer</source>
        <translation>添加层</translation>
    </message>
    <message>
        <source>Duplicate layer</source>
        <translation>复制层</translation>
    </message>
    <message>
        <source>Remove layer</source>
        <translation>删除层</translation>
    </message>
    <message>
        <source>Move layer up</source>
        <translation>上移层</translation>
    </message>
    <message>
        <source>Move layer down</source>
        <translation>下移层</translation>
    </message>
    <message>
        <source>Click to select this layer and the value to change</source>
        <translation>点击以选中这一层和要修改的值</translation>
    </message>
    <message>
        <source>class Net(nn.Module)</source>
        <translation>class Net(nn.Module)</translation>
    </message>
    <message>
        <source>nn.Sequential</source>
        <translation>nn.Sequential</translation>
    </message>
    <message>
        <source>Export as:</source>
        <translation>导出为：</translation>
    </message>
    <message>
        <source>Apply code to the builder</source>
        <translation>把代码应用到构建器</translation>
    </message>
    <message>
        <source>Read the edited code back into layers (undoable)</source>
        <translation>把编辑后的代码读回为层（可撤销）</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>not saved yet</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <source>{} (changed)</source>
        <translation>{}（已修改）</translation>
    </message>
    <message>
        <source>Add {}</source>
        <translation>添加 {}</translation>
    </message>
    <message>
        <source>Remove {}</source>
        <translation>删除 {}</translation>
    </message>
    <message>
        <source>Duplicate {}</source>
        <translation>复制 {}</translation>
    </message>
    <message>
        <source>Move {}</source>
        <translation>移动 {}</translation>
    </message>
    <message>
        <source>Set {} of layer {}</source>
        <translation>设置第 {1} 层的 {0}</translation>
    </message>
    <message>
        <source>Set input shape</source>
        <translation>设置输入形状</translation>
    </message>
    <message>
        <source>{problem} (the check keeps {shape})</source>
        <translation>{problem}（检查仍使用 {shape}）</translation>
    </message>
    <message>
        <source>Load preset {}</source>
        <translation>载入预设 {}</translation>
    </message>
    <message>
        <source>Total: {params} parameters · {macs} MACs ({flops} FLOPs) · output {output}</source>
        <translation>合计：{params} 个参数 · {macs} 次乘加（{flops} 次浮点运算）· 输出 {output}</translation>
    </message>
    <message>
        <source>Layer {row} ({name}): {error}</source>
        <translation>第 {row} 层（{name}）：{error}</translation>
    </message>
    <message>
        <source>Total: {params} parameters · the shape check stops at layer {row}</source>
        <translation>合计：{params} 个参数 · 形状检查停在第 {row} 层</translation>
    </message>
    <message>
        <source>Cannot read this code: {}</source>
        <translation>无法读取这段代码：{}</translation>
    </message>
    <message>
        <source>Apply code</source>
        <translation>应用代码</translation>
    </message>
    <message>
        <source>Add at least one layer first.</source>
        <translation>请先至少添加一层。</translation>
    </message>
    <message>
        <source>This network has {} parameters, more than the {} the builder will allocate.</source>
        <translation>这个网络有 {} 个参数，超过了构建器允许分配的 {} 个。</translation>
    </message>
    <message>
        <source>Fix layer {row} first: {error}</source>
        <translation>请先修正第 {row} 层：{error}</translation>
    </message>
    <message>
        <source>Sent to the REPL: net = {}()</source>
        <translation>已发送到 REPL：net = {}()</translation>
    </message>
    <message>
        <source>Handed to the Training panel.</source>
        <translation>已交给训练面板。</translation>
    </message>
    <message>
        <source>One pass of a batch of {batch} through this network holds {values} values, more than the {limit} Show graph will allocate: use a smaller input shape.</source>
        <translation>这个网络对一批 {batch} 个样本做一次前向传播要保存 {values} 个数值，超过“显示计算图”允许分配的 {limit} 个：请使用更小的输入形状。</translation>
    </message>
    <message>
        <source>Could not run the network: {}</source>
        <translation>无法运行该网络：{}</translation>
    </message>
    <message>
        <source>{} output</source>
        <translation>{} 的输出</translation>
    </message>
    <message>
        <source>Could not open the network: {}</source>
        <translation>无法打开网络：{}</translation>
    </message>
    <message>
        <source>Open {}</source>
        <translation>打开 {}</translation>
    </message>
    <message>
        <source>Opened {}</source>
        <translation>已打开 {}</translation>
    </message>
    <message>
        <source>Could not save: {}</source>
        <translation>无法保存：{}</translation>
    </message>
    <message>
        <source>Saved {}</source>
        <translation>已保存 {}</translation>
    </message>
    <message>
        <source>Save network</source>
        <translation>保存网络</translation>
    </message>
    <message>
        <source>Network files (*.json)</source>
        <translation>网络文件 (*.json)</translation>
    </message>
    <message>
        <source>Open network</source>
        <translation>打开网络</translation>
    </message>
    <message>
        <source>Network files (*.json);;All files (*)</source>
        <translation>网络文件 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Unsaved network</source>
        <translation>网络未保存</translation>
    </message>
    <message>
        <source>The network in the Builder has unsaved changes. Save them?</source>
        <translation>构建器中的网络有未保存的改动。要保存吗？</translation>
    </message>
</context>
</TS>
