<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>VariableList</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>dtype</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>requires_grad</source>
        <translation>requires_grad</translation>
    </message>
    <message>
        <source>grad_fn</source>
        <translation>grad_fn</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>requires_grad: whether autograd records the operations on it</source>
        <translation>requires_grad：autograd 是否记录对它的运算</translation>
    </message>
    <message>
        <source>{type}, {count} params</source>
        <translation>{type}，{count} 个参数</translation>
    </message>
    <message>
        <source>{name}: {kind} {shape}</source>
        <translation>{name}：{kind} {shape}</translation>
    </message>
    <message>
        <source>Delete {}</source>
        <translation>删除 {}</translation>
    </message>
    <message>
        <source>Copy repr</source>
        <translation>复制 repr</translation>
    </message>
    <message>
        <source>Show its autograd graph</source>
        <translation>显示它的自动求导图</translation>
    </message>
</context>
</TS>
