<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>LayerForm</name>
    <message>
        <source>Select a layer to edit its parameters, or add one from the palette.</source>
        <translation>选择一层以编辑其参数，或从层库中添加一层。</translation>
    </message>
    <message>
        <source>empty: same as kernel_size</source>
        <translation>留空：与 kernel_size 相同</translation>
    </message>
    <message>
        <source>{problem} (the model keeps {value})</source>
        <translation>{problem}（模型仍使用 {value}）</translation>
    </message>
</context>
</TS>
