<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>HeatmapView</name>
    <message>
        <source>rows</source>
        <translation>行</translation>
    </message>
    <message>
        <source>columns</source>
        <translation>列</translation>
    </message>
</context>
<context>
    <name>SlicePicker</name>
    <message>
        <source>rows: axis</source>
        <translation>行：轴</translation>
    </message>
    <message>
        <source>columns: axis</source>
        <translation>列：轴</translation>
    </message>
    <message>
        <source>{axis} (size {size})</source>
        <translation>{axis}（大小 {size}）</translation>
    </message>
    <message>
        <source>axis {}: </source>
        <translation>轴 {}：</translation>
    </message>
</context>
<context>
    <name>TensorInspector</name>
    <message>
        <source>Summary</source>
        <translation>概要</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>count</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation>热力图</translation>
    </message>
    <message>
        <source>Histogram</source>
        <translation>直方图</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Select a tensor or array in the list to inspect it.</source>
        <translation>在列表中选择一个张量或数组来查看它。</translation>
    </message>
    <message>
        <source>{name} is a {kind} module: expand its row in the list to inspect each parameter and buffer.</source>
        <translation>{name} 是一个 {kind} 模块：在列表中展开它的行，即可查看每个参数和缓冲区。</translation>
    </message>
    <message>
        <source>{name} cannot be inspected: {error}</source>
        <translation>无法查看 {name}：{error}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt; — {kind}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; — {kind}</translation>
    </message>
    <message>
        <source>(estimated from a random sample of {count} elements)</source>
        <translation>（由 {count} 个元素的随机样本估计）</translation>
    </message>
    <message>
        <source>{name} is a view: it uses memory owned by another object (no copy).</source>
        <translation>{name} 是一个视图：它使用另一个对象拥有的内存（没有复制）。</translation>
    </message>
    <message>
        <source>{name} owns its memory.</source>
        <translation>{name} 拥有自己的内存。</translation>
    </message>
    <message>
        <source>the same object, another name</source>
        <translation>同一个对象，另一个名称</translation>
    </message>
    <message>
        <source>view of it</source>
        <translation>它的视图</translation>
    </message>
    <message>
        <source>its base (it is a view of this)</source>
        <translation>它的基张量（它是这个的视图）</translation>
    </message>
    <message>
        <source>view of the same base</source>
        <translation>同一基张量的视图</translation>
    </message>
    <message>
        <source>same storage</source>
        <translation>同一存储</translation>
    </message>
    <message>
        <source>NumPy array on the same memory</source>
        <translation>同一内存上的 NumPy 数组</translation>
    </message>
    <message>
        <source>tensor on the same memory</source>
        <translation>同一内存上的张量</translation>
    </message>
    <message>
        <source>No other name shares it: changing it changes nothing else.</source>
        <translation>没有其他名称共享它：修改它不会改变别的东西。</translation>
    </message>
    <message>
        <source>These names share its memory, so an in-place change to one changes all:</source>
        <translation>这些名称共享它的内存，所以对其中一个做原地修改会改变全部：</translation>
    </message>
    <message>
        <source>changed by the last cell</source>
        <translation>被上一个单元修改</translation>
    </message>
    <message>
        <source>min {min:.5g}   max {max:.5g}   mean {mean:.5g}   std {std:.5g}
NaN {nan}   inf {inf}</source>
        <translation>最小 {min:.5g}   最大 {max:.5g}   均值 {mean:.5g}   标准差 {std:.5g}
NaN {nan}   inf {inf}</translation>
    </message>
    <message>
        <source>Finite values; big tensors are sampled.</source>
        <translation>仅有限值；大张量会抽样。</translation>
    </message>
    <message>
        <source>Shown as an image (C×H×W or H×W).</source>
        <translation>显示为图像（C×H×W 或 H×W）。</translation>
    </message>
    <message>
        <source>Cannot show this view: {}</source>
        <translation>无法显示此视图：{}</translation>
    </message>
    <message>
        <source>All values of this slice are shown.</source>
        <translation>显示了此切片的全部数值。</translation>
    </message>
    <message>
        <source>Large slice: every {rows}th row and {cols}th column is shown.</source>
        <translation>大切片：每隔 {rows} 行、{cols} 列显示一个。</translation>
    </message>
</context>
</TS>
